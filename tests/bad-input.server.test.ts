// Requests Node's HTTP parser refuses before Express sees them: only the
// server `npm start` runs (src/index.ts) can answer those, so it runs here.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/** Sends `raw` on a socket of its own and reads the whole answer. */
function rawRequest(raw: string): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(raw));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

/** The status and the JSON body of a raw HTTP answer. */
function parse(answer: string) {
  const [head = "", body = ""] = answer.split("\r\n\r\n");
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  expect(head).toMatch(/content-type: application\/json/i);
  return { status, body: JSON.parse(body) as Record<string, unknown> };
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
    const { status, body } = parse(
      await rawRequest(`GET ${url} HTTP/1.1\r\nHost: localhost\r\n\r\n`)
    );
    expect(status).toBe(431);
    expect(body).toEqual(envelope(431));
  });

  it("answers a 100 kB cookie header with a JSON 431", async () => {
    const cookie = `accessToken=${"x".repeat(100_000)}`;
    const { status, body } = parse(
      await rawRequest(
        `GET /api/v1/users/current-user HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\n\r\n`
      )
    );
    expect(status).toBe(431);
    expect(body).toEqual(envelope(431));
  });

  it("answers a request line that is not HTTP with a JSON 400", async () => {
    const { status, body } = parse(await rawRequest("HELLO THERE\r\n\r\n"));
    expect(status).toBe(400);
    expect(body).toEqual(envelope(400));
  });

  it("keeps serving ordinary requests after them", async () => {
    const response = await fetch(`${server.url}/api/v1/healthcheck`);
    expect(response.status).toBe(200);
  });
});
