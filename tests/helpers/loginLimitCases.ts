import { once } from "node:events";
import { request, type Server } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { app } from "../../src/app.js";
import { createUser, DEFAULT_PASSWORD } from "./factories.js";
import { api, API, expectErrorEnvelope } from "./http.js";

// The files that run these cases set, before importing the app:
// LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_FAILURES_PER_IP=6, RATE_LIMIT_AUTH=1000.

const login = (body: object) => api().post(`${API}/users/login`).send(body);

/**
 * Sends a login on a real socket and hangs up before the answer, as a
 * browser tab closed mid-login does.
 */
async function hangUpMidLogin(url: string, body: object): Promise<void> {
  const payload = JSON.stringify(body);
  const outgoing = request(`${url}${API}/users/login`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(payload),
    },
  });
  outgoing.on("error", () => undefined);
  outgoing.end(payload);
  await once(outgoing, "finish");
  await sleep(5);
  outgoing.destroy();
}

/**
 * The login limit cases, shared by the memory-store file and the Redis-store
 * file: both must count failures when they happen and nothing else.
 */
export function loginLimitCases() {
  let server: Server;
  let url = "";
  beforeAll(async () => {
    server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    if (address === null || typeof address === "string")
      throw new Error("no port");
    url = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("never limits successful logins", async () => {
    const alice = await createUser();
    for (let attempt = 0; attempt < 12; attempt++) {
      expect(
        (await login({ email: alice.user.email, password: DEFAULT_PASSWORD }))
          .status
      ).toBe(200);
    }
  });

  it("answers 50 concurrent correct logins from one IP, all 200", async () => {
    const alice = await createUser();
    const statuses = await Promise.all(
      Array.from({ length: 50 }, () =>
        login({ email: alice.user.email, password: DEFAULT_PASSWORD }).then(
          (response) => response.status
        )
      )
    );
    expect(statuses).toEqual(Array.from({ length: 50 }, () => 200));
  });

  it("does not count a correct login whose client hung up", async () => {
    const alice = await createUser();
    for (let attempt = 0; attempt < 4; attempt++)
      await hangUpMidLogin(url, {
        email: alice.user.email,
        password: DEFAULT_PASSWORD,
      });
    // The abandoned logins finish on the server (bcrypt) after the hang-up.
    await sleep(1_000);
    // Two failures fit under the limit of 3 only if the hang-ups counted nothing.
    for (let attempt = 0; attempt < 2; attempt++)
      expectErrorEnvelope(
        await login({ email: alice.user.email, password: "wrong password" }),
        401
      );
    expect(
      (await login({ email: alice.user.email, password: DEFAULT_PASSWORD }))
        .status
    ).toBe(200);
  });

  it("counts failures at once and then answers 429 with Retry-After and RateLimit headers", async () => {
    const alice = await createUser();
    // Concurrent failures are each counted by the time their 401 is sent.
    const failures = await Promise.all(
      Array.from({ length: 3 }, () =>
        login({ email: alice.user.email, password: "wrong password" })
      )
    );
    for (const failure of failures) expectErrorEnvelope(failure, 401);
    const limited = await login({
      email: alice.user.email.toUpperCase(),
      password: "wrong password",
    });
    expectErrorEnvelope(limited, 429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.headers["ratelimit"]).toContain('"login-account"; r=0; t=');
    expect(limited.headers["ratelimit-policy"]).toContain(
      '"login-account"; q=3; w=900'
    );
    // Even the right password waits: otherwise the limit would tell a guess was right.
    expectErrorEnvelope(
      await login({ email: alice.user.email, password: DEFAULT_PASSWORD }),
      429
    );
    const bob = await createUser();
    expect(
      (await login({ email: bob.user.email, password: DEFAULT_PASSWORD }))
        .status
    ).toBe(200);
  });

  it("limits failed logins per IP across accounts", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      statuses.push(
        (
          await login({
            email: `ghost${attempt}@example.com`,
            password: "wrong password",
          })
        ).status
      );
    }
    // Earlier cases in this file failed 5 times from this address already
    // (2 + 3); the limit is 6.
    expect(statuses[0]).toBe(401);
    expect(statuses.at(-1)).toBe(429);
  });
}
