import { setTimeout as sleep } from "node:timers/promises";
import mongoose from "mongoose";
import { config } from "../config.js";
import { logger } from "../utils/logger.js";
import { watchHeartbeats } from "./heartbeatWatchdog.js";
import {
  attachPostgres,
  detachPostgres,
  detectEngine,
  engineName,
  useEngine,
} from "./engine/index.js";

// Without buffering, a query while the database is away fails after server
// selection (a few seconds) and the client gets a 503, instead of waiting in
// Mongoose's buffer.
mongoose.set("bufferCommands", false);
mongoose.set("strictQuery", true);

// Also the socket timeout of the driver's heartbeats: a check of a database
// that went away ends within it (the driver's default is 30 s).
const CONNECT_TIMEOUT_MS = 5_000;
// A heartbeat still open this long after it started is stuck for good (see
// heartbeatWatchdog.ts): the client is replaced.
const HEARTBEAT_STALL_MS = CONNECT_TIMEOUT_MS + 2_000;

// Bumped by every connect and disconnect the caller asks for, so a
// background reconnection started before one of them gives up.
let generation = 0;
let stopWatching: (() => void) | undefined;

export class DatabaseConnectionError extends Error {
  override name = "DatabaseConnectionError";
}

/**
 * Connects with backoff for a bounded time, then gives up with an error the
 * caller turns into a clear message and a non-zero exit (the notes' version
 * swallowed the error in a catch).
 */
export async function connectDB(
  uri: string,
  dbName: string = config.db.name,
  timeoutMs: number = config.db.connectTimeoutMs
): Promise<typeof mongoose> {
  const current = ++generation;
  const connection = await open(uri, dbName, timeoutMs);
  watch(uri, dbName, current);
  return connection;
}

function watch(uri: string, dbName: string, current: number): void {
  stopWatching?.();
  stopWatching = watchHeartbeats(
    mongoose.connection.getClient(),
    HEARTBEAT_STALL_MS,
    () => void reconnect(uri, dbName, current)
  );
}

/**
 * Replaces a client whose monitor is stuck, without a restart: requests
 * answer 503 meanwhile (the connection is closed, and commands are not
 * buffered), and get the database again as soon as it answers.
 */
async function reconnect(
  uri: string,
  dbName: string,
  current: number
): Promise<void> {
  logger.warn("database heartbeat stuck: replacing the database client");
  // Not forced: Mongoose refuses every later command of a connection that
  // was force closed, even once it is open again.
  await mongoose.connection.close().catch(() => undefined);
  while (current === generation) {
    try {
      await open(uri, dbName, config.db.connectTimeoutMs);
      if (current === generation) watch(uri, dbName, current);
      else await mongoose.disconnect();
      return;
    } catch (error) {
      logger.warn({ err: error }, "database still unreachable, retrying");
    }
  }
}

async function open(
  uri: string,
  dbName: string,
  timeoutMs: number
): Promise<typeof mongoose> {
  const deadline = Date.now() + timeoutMs;
  let delayMs = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      const connection = await mongoose.connect(uri, {
        dbName,
        serverSelectionTimeoutMS: config.db.serverSelectionTimeoutMs,
        connectTimeoutMS: CONNECT_TIMEOUT_MS,
      });
      const engine = await detectEngine(connection.connection);
      useEngine(engine);
      logger.info(
        { host: connection.connection.host, dbName, engine, attempt },
        "database connected"
      );
      return connection;
    } catch (error) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new DatabaseConnectionError(
          `Could not connect to the database (${(error as Error).message}) after ${attempt} attempts in ${Math.round(timeoutMs / 1000)} s`,
          { cause: error }
        );
      }
      logger.warn(
        { attempt, retryInMs: delayMs, err: (error as Error).message },
        "database connection failed, retrying"
      );
      await sleep(Math.min(delayMs, remaining));
      delayMs = Math.min(delayMs * 2, 5_000);
    }
  }
}

/**
 * Creates every model's collection and declared indexes, then, on FerretDB
 * over PostgreSQL (`postgresUrl` set), the GIN indexes its finds use, and
 * lets sorted pages be read from PostgreSQL from then on. Call it
 * after the models are imported (the app imports them all). Explicit, not
 * left to autoIndex: with bufferCommands off, a model compiled before the
 * connection opened may never build its indexes, and nothing says so.
 */
export async function prepareIndexes(
  postgresUrl: string | undefined = config.db.postgresUrl
): Promise<void> {
  await Promise.all(
    mongoose.modelNames().map((name) => mongoose.model(name).createIndexes())
  );
  if (postgresUrl === undefined || engineName() !== "ferretdb") return;
  // Loaded only for FerretDB on PostgreSQL: `pg` is no concern of MongoDB's.
  const { addGinIndexes, addSearchIndexes } =
    await import("./embedded/ginIndexes.js");
  const database = mongoose.connection.name;
  const created =
    (await addGinIndexes(postgresUrl, database)) +
    (await addSearchIndexes(postgresUrl, database, searchedFields()));
  if (created > 0) logger.info({ created }, "GIN indexes added");
  await attachPostgres(postgresUrl, mongoose.connection.name);
}

/** Each model's fields declared `searched: true` (searched by substring). */
function searchedFields() {
  return mongoose.modelNames().map((name) => {
    const model = mongoose.model(name);
    const fields: string[] = [];
    model.schema.eachPath((path, type) => {
      if ((type.options as { searched?: boolean }).searched) fields.push(path);
    });
    return { collection: model.collection.collectionName, fields };
  });
}

export async function disconnectDB(): Promise<void> {
  generation++;
  await detachPostgres();
  stopWatching?.();
  stopWatching = undefined;
  await mongoose.disconnect();
}

let pingInFlight: Promise<boolean> | undefined;

/**
 * True when the database answers a ping within `timeoutMs`. Concurrent
 * callers share the ping under way rather than each sending one: the answer
 * is as fresh (it started after they asked or just before), and a busy
 * healthcheck costs the database one round trip at a time.
 */
export function isDatabaseUp(timeoutMs: number): Promise<boolean> {
  pingInFlight ??= ping(timeoutMs).finally(() => {
    pingInFlight = undefined;
  });
  return pingInFlight;
}

async function ping(timeoutMs: number): Promise<boolean> {
  const db = mongoose.connection.db;
  if (mongoose.connection.readyState !== 1 || db === undefined) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      db
        .command({ ping: 1 }, { timeoutMS: timeoutMs })
        .then(() => true)
        .catch(() => false),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
