import { createServer, STATUS_CODES, type Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Express } from "express";
import { config } from "./config.js";
import { ApiError } from "./utils/ApiError.js";
import { startEventLoopReport } from "./utils/eventLoopReport.js";
import { closeAfterLinger } from "./utils/lingeringClose.js";
import { logger } from "./utils/logger.js";

/** Requests Node refuses before Express sees them, by Node's error code. */
const CLIENT_ERRORS: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    "The request did not arrive within the server's time limit",
  ],
  HPE_HEADER_OVERFLOW: [431, "Request line or headers are too large"],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, "Chunk extensions are too large"],
  default: [400, "Malformed HTTP request"],
};

// Made once: a timeout can strike hundreds of idle connections in one tick.
const ANSWERS = new Map(
  Object.entries(CLIENT_ERRORS).map(([code, [status, message]]) => {
    const body = JSON.stringify(new ApiError(status, message).toJSON());
    const answer =
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      "Content-Type: application/json; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Connection: close\r\n\r\n" +
      body;
    return [code, Buffer.from(answer)];
  })
);

/**
 * Node answers these with a bare status line; the contract promises the JSON
 * error envelope for every answer. Like Node, write only while no response
 * of the request's own has started, then close the connection.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex) {
  const ownResponse = (
    socket as Duplex & { _httpMessage?: { headersSent?: boolean } }
  )._httpMessage;
  if (
    error.code !== "ECONNRESET" &&
    socket.writable &&
    !ownResponse?.headersSent
  ) {
    // HTTP is done with this socket: what still comes is dropped.
    socket.removeAllListeners("data");
    socket.end(ANSWERS.get(error.code ?? "") ?? ANSWERS.get("default"));
    closeAfterLinger(socket, socket);
    return;
  }
  socket.destroy();
}

/**
 * The HTTP server around the app, with the configured timeouts: a client
 * that sends its headers or its body too slowly is cut with 408, an idle
 * keep-alive connection is closed after KEEP_ALIVE_TIMEOUT_MS.
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
