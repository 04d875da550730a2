import type { RedisReply } from "rate-limit-redis";
import { createClient } from "redis";
import { config } from "../config.js";
import { logger } from "../utils/logger.js";

// A command waits at most this long (queued while Redis reconnects, or sent):
// a Redis outage must fail a request quickly, never hang it.
const COMMAND_TIMEOUT_MS = 2_000;

const connectTo = (url: string) => createClient({ url });
type RedisClient = ReturnType<typeof connectTo>;

let client: RedisClient | undefined;
// Set once the connection has been ready: from then on, a lost connection is
// an outage rather than the start-up's first connect.
let wasReady = false;

/**
 * The one Redis connection of this process when REDIS_URL is set, else
 * undefined. Connecting starts at the first use; commands sent before it is
 * ready wait in the client's queue (bounded by COMMAND_TIMEOUT_MS).
 */
function redisClient(): RedisClient | undefined {
  if (config.redisUrl === undefined) return undefined;
  if (!client) {
    const created = connectTo(config.redisUrl);
    // Without a listener an 'error' event (Redis restarting) kills the process.
    created.on("error", (error: unknown) =>
      logger.warn({ err: error }, "redis connection error")
    );
    created.on("ready", () => {
      wasReady = true;
    });
    created.connect().catch((error: unknown) => {
      logger.error({ err: error }, "connecting to redis failed");
    });
    client = created;
  }
  return client;
}

export type SendRedisCommand = (...args: string[]) => Promise<RedisReply>;

/**
 * A raw command sender on the shared connection, or undefined without Redis.
 * During an outage commands fail at once instead of each waiting
 * COMMAND_TIMEOUT_MS: the writes queued for one document take their turns
 * one after another, and would otherwise wait that long each.
 */
export function redisSender(): SendRedisCommand | undefined {
  const shared = redisClient();
  if (!shared) return undefined;
  return (...args) =>
    wasReady && !shared.isReady
      ? Promise.reject(new Error("Redis is unavailable"))
      : shared.sendCommand<RedisReply>(args, { timeout: COMMAND_TIMEOUT_MS });
}

/** Closes the connection at shutdown, after the last request used it. */
export async function closeRedis(): Promise<void> {
  const open = client;
  client = undefined;
  wasReady = false;
  if (open?.isOpen) await open.close();
  else open?.destroy();
}
