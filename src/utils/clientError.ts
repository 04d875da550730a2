import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

// Node's own answers to a request it cannot parse, which it sends without a
// body: the same statuses, in the API's error envelope.
const STATUS_BY_CODE: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, "The URL or the headers are too large"],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, "Chunk extensions are too large"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "The request took too long to arrive"],
};

/**
 * The server's `clientError` listener: a request Node's parser refuses (a
 * 100 kB URL, a malformed request line) never reaches Express, so without
 * this the client gets a bare status line instead of a JSON error.
 */
export function answerClientError(
  error: Error & { code?: string },
  socket: Duplex
): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, message] = STATUS_BY_CODE[error.code ?? ""] ?? [
    400,
    "Malformed HTTP request",
  ];
  const body = JSON.stringify({
    statusCode: status,
    data: null,
    message,
    success: false,
    errors: [],
  });
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}`,
      "Content-Type: application/json; charset=utf-8",
      `Content-Length: ${Buffer.byteLength(body)}`,
      "Connection: close",
      "",
      body,
    ].join("\r\n")
  );
}
