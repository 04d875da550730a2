import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { SendRedisCommand } from "../redis.js";
import { ApiError } from "../../utils/ApiError.js";

// Longer than any write a lock guards (a few database round trips), so it
// expires only when its holder died; then the next writer goes ahead.
export const LOCK_TTL_MS = 15_000;
// How long a writer waits for a busy document before answering 503.
const LOCK_WAIT_MS = 10_000;
const FIRST_RETRY_MS = 5;
const MAX_RETRY_MS = 100;

// Deletes the lock only if it still holds this writer's token: a writer
// whose lock expired must not release the next holder's.
const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

const busy = () =>
  new ApiError(503, "The service is busy, try again shortly", [], {
    headers: { "Retry-After": "1" },
  });

// Without the lock the write does not happen: on FerretDB it could lose a
// concurrent change of another instance. Locks guard data, so a Redis outage
// fails these writes (rate limits, which guard capacity, let requests through).
const lockUnavailable = (cause: unknown) =>
  new ApiError(503, "The service is unavailable, try again shortly", [], {
    cause,
    headers: { "Retry-After": "5" },
  });

/**
 * Runs `work` holding a Redis lock on `key`, shared by every instance on one
 * Redis: SET NX PX with a random token, retried with a growing, jittered
 * pause, released by a token-checked script.
 */
export async function withRedisLock<T>(
  send: SendRedisCommand,
  key: string,
  work: () => Promise<T>
): Promise<T> {
  const lockKey = `lock:${key}`;
  const token = randomBytes(16).toString("hex");
  const deadline = Date.now() + LOCK_WAIT_MS;
  let pause = FIRST_RETRY_MS;
  for (;;) {
    const set = await send(
      "SET",
      lockKey,
      token,
      "NX",
      "PX",
      String(LOCK_TTL_MS)
    ).catch((error: unknown) => {
      throw lockUnavailable(error);
    });
    if (set === "OK") break;
    if (Date.now() + pause > deadline) throw busy();
    await sleep(pause / 2 + Math.random() * pause);
    pause = Math.min(pause * 2, MAX_RETRY_MS);
  }
  try {
    return await work();
  } finally {
    // A failed release leaves the lock to expire after LOCK_TTL_MS.
    await send("EVAL", RELEASE_SCRIPT, "1", lockKey, token).catch(
      () => undefined
    );
  }
}
