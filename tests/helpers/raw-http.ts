import { connect, type Socket } from "node:net";

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawExchange {
  /** The server's answer, if it sent one before closing. */
  answer: RawAnswer | undefined;
  /** From connecting until the answer came (or the connection closed). */
  elapsedMs: number;
  /** Bytes the client managed to write before the server answered or closed. */
  bytesWritten: number;
  /** Whether the server closed the connection (or reset it). */
  closed: boolean;
  /** From the answer until the server closed the connection. */
  idleMs: number | undefined;
}

function parseAnswer(raw: Buffer): RawAnswer | undefined {
  const text = raw.toString("latin1");
  const headEnd = text.indexOf("\r\n\r\n");
  if (headEnd === -1) return undefined;
  const [statusLine = "", ...lines] = text.slice(0, headEnd).split("\r\n");
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line
      .slice(colon + 1)
      .trim();
  }
  const length = Number(headers["content-length"] ?? 0);
  const body = raw.subarray(
    Buffer.byteLength(text.slice(0, headEnd + 4), "latin1")
  );
  if (body.length < length) return undefined;
  return { status, headers, body: body.subarray(0, length).toString("utf8") };
}

/**
 * Talks HTTP/1.1 over a bare TCP socket, so a test can send what no
 * well-behaved client would (a body at 1 byte/s, a declared 100 MB, nothing
 * at all). `send` writes to the socket until it resolves or the server
 * answers; the exchange ends when a whole answer has come (or, with
 * `untilClosed`, when the server has also closed the connection), when the
 * connection closes, or after `timeoutMs`.
 */
export function exchange(
  url: string,
  send: (socket: Socket, answered: () => boolean) => Promise<void> | void,
  options: { timeoutMs: number; untilClosed?: boolean; onAnswer?: () => void }
): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const started = performance.now();
  let received = Buffer.alloc(0);
  let answer: RawAnswer | undefined;
  let answeredAt: number | undefined;
  return new Promise((resolve) => {
    const finish = (closed: boolean) => {
      const now = performance.now();
      clearTimeout(timer);
      const bytesWritten = socket.bytesWritten;
      socket.destroy();
      resolve({
        answer,
        elapsedMs: (answeredAt ?? now) - started,
        bytesWritten,
        closed,
        idleMs:
          closed && answeredAt !== undefined ? now - answeredAt : undefined,
      });
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      answer ??= parseAnswer(received);
      if (answer && answeredAt === undefined) {
        answeredAt = performance.now();
        options.onAnswer?.();
        if (!options.untilClosed) finish(false);
      }
    });
    // A reset after the answer (the server stopped reading) still ends it.
    socket.on("error", () => undefined);
    socket.on("close", () => finish(true));
    socket.once("connect", () => {
      void Promise.resolve(send(socket, () => answeredAt !== undefined)).catch(
        () => undefined
      );
    });
  });
}

/** Writes `chunk` unless the socket is gone, waiting while its buffer is full. */
export async function writeChunk(socket: Socket, chunk: string | Buffer) {
  if (socket.destroyed || !socket.writable) return false;
  if (!socket.write(chunk)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        socket.off("drain", done).off("close", done);
        resolve();
      };
      socket.on("drain", done).on("close", done);
    });
  }
  return !socket.destroyed;
}

/** The head of a request, ending with the blank line. */
export function requestHead(
  method: string,
  path: string,
  headers: Record<string, string | number> = {}
): string {
  const lines = Object.entries({ Host: "127.0.0.1", ...headers }).map(
    ([name, value]) => `${name}: ${value}`
  );
  return `${method} ${path} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`;
}
