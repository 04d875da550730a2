import { afterAll, describe, expect, it } from "vitest";
import { createClient } from "redis";
import { startRedis } from "./helpers/redis-server.js";

// Started, and the variables set, before the app is imported: the limits
// pick their store from REDIS_URL once, at import.
const redis = await startRedis();
Object.assign(process.env, {
  REDIS_URL: redis.url,
  LOGIN_FAILURES_PER_ACCOUNT: "3",
  LOGIN_FAILURES_PER_IP: "6",
  RATE_LIMIT_AUTH: "1000",
});

const { loginLimitCases } = await import("./helpers/loginLimitCases.js");
const { closeRedis } = await import("../src/db/redis.js");

afterAll(async () => {
  await closeRedis();
  await redis.stop();
});

describe("login rate limits (Redis store)", () => {
  loginLimitCases();

  it("keeps the failure counts in Redis, where other instances read them", async () => {
    const reader = createClient({ url: redis.url });
    await reader.connect();
    try {
      const keys = await reader.keys("rl:login-*");
      expect(keys.some((key) => key.startsWith("rl:login-ip:"))).toBe(true);
      expect(keys.some((key) => key.startsWith("rl:login-account:"))).toBe(
        true
      );
    } finally {
      await reader.close();
    }
  });
});
