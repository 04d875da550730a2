import type { Duplex, Readable } from "node:stream";

// After an answer sent before the request's body was read, a little more is
// read and dropped so the client sees the answer: closing at once resets a
// client still uploading, and its kernel drops the answer with the
// connection. Past either bound the connection is cut, so a declared (or
// streamed) 100 MB is never read.
// The bytes bound is above what loopback's socket buffers hold in flight
// (a few MB), so a client that stops on the answer is not reset.
const LINGER_MS = 1_000;
const LINGER_BYTES = 8 * 1024 * 1024;

/**
 * Drops what still arrives on `incoming` (the request, or the bare socket
 * once HTTP has given up on it) and destroys `socket` after LINGER_MS or
 * LINGER_BYTES, whichever comes first, unless the body ends before.
 */
export function closeAfterLinger(socket: Duplex, incoming: Readable): void {
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, LINGER_MS).unref();
  let dropped = 0;
  incoming.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) cut();
  });
  incoming.resume();
  incoming.once("end", () => clearTimeout(timer));
  socket.once("close", () => clearTimeout(timer));
}
