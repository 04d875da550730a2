import { request } from "node:http";

export interface SlowRequest {
  /** Resolves once the server has parsed the headers (its 100 Continue). */
  received: Promise<void>;
  sendBody: () => void;
  /** The answer, or the socket error's code with status 0. */
  answer: Promise<{ status: number; body: string }>;
}

/**
 * A request the server is handling when the signal comes: its headers are
 * acknowledged (Expect: 100-continue) before the body is sent. A connection
 * still in the kernel's accept queue when the listener closes is reset, and
 * no server can answer it, so the test waits for the acknowledgement.
 */
export function slowRequest(baseUrl: string): SlowRequest {
  const url = new URL(`${baseUrl}/api/v1/healthcheck`);
  let acknowledged = () => undefined as void;
  const received = new Promise<void>((resolve) => (acknowledged = resolve));
  let sendBody = () => undefined as void;
  const answer = new Promise<{ status: number; body: string }>((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        agent: false,
        headers: {
          "Content-Type": "application/json",
          "Content-Length": "2",
          Expect: "100-continue",
        },
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      }
    );
    req.on("error", (error: NodeJS.ErrnoException) =>
      resolve({ status: 0, body: error.code ?? String(error) })
    );
    req.on("continue", () => acknowledged());
    req.flushHeaders();
    sendBody = () => req.end("{}");
  });
  return { received, sendBody, answer };
}
