import { createServer, type Server } from "node:http";
import type { Express } from "express";
import { config } from "./config.js";
import { answerClientError } from "./utils/clientError.js";
import { startEventLoopReport } from "./utils/eventLoopReport.js";
import { logger } from "./utils/logger.js";

/**
 * The HTTP server around the app, with the configured timeouts: a client
 * that sends its headers or its body too slowly is cut with 408 (answered in
 * the envelope by utils/clientError.ts), an idle keep-alive connection is
 * closed after KEEP_ALIVE_TIMEOUT_MS.
 */
export function createHttpServer(app: Express): Server {
  const { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs } =
    config.http;
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: headersTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      // Node checks the two timeouts above only every 30 s by default, so a
      // 2 s limit could let a slow client hold its connection for 32 s.
      connectionsCheckingInterval: Math.min(
        1_000,
        Math.max(50, Math.floor(headersTimeoutMs / 4))
      ),
    },
    app
  );
  server.on("clientError", answerClientError);
  if (config.eventLoopReportMs > 0) {
    // From the first request on: start-up's module loading is not serving anyone.
    server.once("listening", () => {
      const stop = startEventLoopReport(config.eventLoopReportMs, (delay) =>
        logger.info({ eventLoopDelay: delay }, "event loop delay")
      );
      server.once("close", stop);
    });
  }
  return server;
}
