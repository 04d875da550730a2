import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  Object.assign(process.env, {
    LOGIN_FAILURES_PER_ACCOUNT: "3",
    LOGIN_FAILURES_PER_IP: "6",
    REGISTRATIONS_PER_IP: "2",
    RATE_LIMIT_AUTH: "1000",
    RATE_LIMIT_READS: "4",
    RATE_LIMIT_WRITES: "3",
    RATE_LIMIT_UPLOADS: "2",
  });
});

const { createUser } = await import("./helpers/factories.js");
const { api, API, expectErrorEnvelope } = await import("./helpers/http.js");
const { loginLimitCases } = await import("./helpers/loginLimitCases.js");
const { pngBytes } = await import("./helpers/media.js");

describe("login rate limits (memory store)", () => {
  loginLimitCases();
});

describe("registration rate limit", () => {
  it("limits registrations per IP with 429 and Retry-After", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const tag = `${Date.now().toString(36)}${attempt}`;
      const response = await api()
        .post(`${API}/users/register`)
        .field("fullName", "Rate Limited")
        .field("email", `rl_${tag}@example.com`)
        .field("username", `rl_${tag}`)
        .field("password", "a good password")
        .attach("avatar", pngBytes(), {
          filename: "a.png",
          contentType: "image/png",
        });
      statuses.push(response.status);
      if (response.status === 429)
        expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([201, 201, 429]);
  });
});

describe("route class limits", () => {
  it("limits reads per address for anonymous callers and per account once signed in", async () => {
    const reads = [];
    for (let attempt = 0; attempt < 5; attempt++)
      reads.push(await api().get(`${API}/videos`));
    expect(reads.map((response) => response.status)).toEqual([
      200, 200, 200, 200, 429,
    ]);
    expect(reads[0]?.headers["ratelimit-policy"]).toMatch(
      /^"reads"; q=4; w=60;/
    );
    expect(reads[0]?.headers["ratelimit"]).toMatch(/^"reads"; r=3; t=\d+$/);
    const limited = reads[4];
    if (!limited) throw new Error("no fifth read");
    expectErrorEnvelope(limited, 429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    // The same address, signed in: a budget of its own.
    const alice = await createUser();
    expect(
      (await api().get(`${API}/videos`).set("Authorization", alice.bearer))
        .status
    ).toBe(200);
  });

  it("limits writes per account, apart from reads", async () => {
    const [alice, channel] = [await createUser(), await createUser()];
    const toggle = () =>
      api()
        .post(`${API}/subscriptions/c/${channel.id}`)
        .set("Authorization", alice.bearer);
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt++)
      statuses.push((await toggle()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(
      (
        await api()
          .get(`${API}/users/current-user`)
          .set("Authorization", alice.bearer)
      ).status
    ).toBe(200);
  });

  it("limits uploads per account before reading the file", async () => {
    const alice = await createUser();
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await api()
        .patch(`${API}/users/avatar`)
        .set("Authorization", alice.bearer)
        .attach("avatar", pngBytes(), {
          filename: "a.png",
          contentType: "image/png",
        });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});
