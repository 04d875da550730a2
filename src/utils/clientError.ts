import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { ApiError } from "./ApiError.js";
import { closeAfterLinger } from "./lingeringClose.js";

/** Requests Node refuses before Express sees them, by Node's error code. */
const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, "The URL or the headers are too large"],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, "Chunk extensions are too large"],
  // REQUEST_TIMEOUT_MS or HEADERS_TIMEOUT_MS is over (src/server.ts).
  ERR_HTTP_REQUEST_TIMEOUT: [408, "The request took too long to arrive"],
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
 * The server's `clientError` listener: a request Node's parser refuses (a
 * 100 kB URL, a malformed request line) or cuts (too slow) never reaches
 * Express, and Node would answer it with a bare status line; this answers in
 * the JSON error envelope. Like Node, only while no response of the
 * request's own has started; then the connection closes after a linger.
 */
export function answerClientError(
  error: Error & { code?: string },
  socket: Duplex
): void {
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
