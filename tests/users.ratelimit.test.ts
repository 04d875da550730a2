import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.LOGIN_FAILURES_PER_ACCOUNT = "3";
  process.env.LOGIN_FAILURES_PER_IP = "6";
  process.env.REGISTRATIONS_PER_IP = "2";
});

const { createUser, DEFAULT_PASSWORD } = await import("./helpers/factories.js");
const { api, API, expectErrorEnvelope } = await import("./helpers/http.js");

const login = (body: object) => api().post(`${API}/users/login`).send(body);

describe("login rate limits", () => {
  it("never limits successful logins", async () => {
    const alice = await createUser();
    for (let attempt = 0; attempt < 12; attempt++) {
      expect(
        (await login({ email: alice.user.email, password: DEFAULT_PASSWORD }))
          .status
      ).toBe(200);
    }
  });

  it("limits failed logins per account with 429, Retry-After and RateLimit headers", async () => {
    const alice = await createUser();
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(
        (await login({ email: alice.user.email, password: "wrong password" }))
          .status
      ).toBe(401);
    }
    const limited = await login({
      email: alice.user.email.toUpperCase(),
      password: "wrong password",
    });
    expectErrorEnvelope(limited, 429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.headers["ratelimit"]).toBeDefined();
    // Even the right password waits: otherwise the limit would tell a guess was right.
    expect(
      (await login({ email: alice.user.email, password: DEFAULT_PASSWORD }))
        .status
    ).toBe(429);
    const bob = await createUser();
    expect(
      (await login({ email: bob.user.email, password: DEFAULT_PASSWORD }))
        .status
    ).toBe(200);
  });

  it("limits failed logins per IP across accounts", async () => {
    let status = 0;
    for (let attempt = 0; attempt < 8 && status !== 429; attempt++) {
      status = (
        await login({
          email: `ghost${attempt}@example.com`,
          password: "wrong password",
        })
      ).status;
    }
    expect(status).toBe(429);
  });
});

describe("registration rate limit", () => {
  it("limits registrations per IP with 429 and Retry-After", async () => {
    const { pngBytes } = await import("./helpers/media.js");
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
