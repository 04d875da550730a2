// Requests Node's HTTP parser refuses before Express sees them: only the
// server `npm start` runs (src/index.ts) can answer those, so it runs here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exchange } from "./helpers/raw-http.js";
import {
  startServer,
  stopServer,
  type RunningServer,
} from "./helpers/server-process.js";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({});
}, 60_000);

afterAll(async () => {
  await stopServer(server);
});

/** Sends `raw` on a socket of its own: the answer's status and JSON body. */
async function rawRequest(raw: string) {
  const { answer } = await exchange(
    server.url,
    (socket) => void socket.end(raw),
    {
      timeoutMs: 10_000,
    }
  );
  expect(answer?.headers["content-type"]).toMatch(/^application\/json/);
  return {
    status: answer?.status,
    body: JSON.parse(answer?.body ?? "") as Record<string, unknown>,
  };
}

const envelope = (status: number) => ({
  statusCode: status,
  data: null,
  success: false,
  errors: [],
  message: expect.any(String),
});

describe("requests the HTTP parser refuses", () => {
  it.each([
    ["an API search", "/api/v1/videos?query="],
    ["a stored file", "/uploads/image/"],
    ["an unknown route", "/"],
  ])("answers a 100 kB URL to %s with a JSON 431", async (_what, prefix) => {
    const url = `${prefix}${"a".repeat(100_000)}`;
    const { status, body } = await rawRequest(
      `GET ${url} HTTP/1.1\r\nHost: localhost\r\n\r\n`
    );
    expect(status).toBe(431);
    expect(body).toEqual(envelope(431));
  });

  it("answers a 100 kB cookie header with a JSON 431", async () => {
    const cookie = `accessToken=${"x".repeat(100_000)}`;
    const { status, body } = await rawRequest(
      `GET /api/v1/users/current-user HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\n\r\n`
    );
    expect(status).toBe(431);
    expect(body).toEqual(envelope(431));
  });

  it("answers a request line that is not HTTP with a JSON 400", async () => {
    const { status, body } = await rawRequest("HELLO THERE\r\n\r\n");
    expect(status).toBe(400);
    expect(body).toEqual(envelope(400));
  });

  it("keeps serving ordinary requests after them", async () => {
    const response = await fetch(`${server.url}/api/v1/healthcheck`);
    expect(response.status).toBe(200);
  });
});
