import { MemoryStore, type Options, type Store } from "express-rate-limit";
import { RedisStore } from "rate-limit-redis";
import { redisSender } from "../db/redis.js";

/**
 * Where one limit keeps its counts: in this process (the default), or in
 * Redis when REDIS_URL is set, so every instance behind a load balancer
 * counts the same requests. `name` keeps each limit's keys apart.
 */
export function rateLimitStore(name: string): Store {
  const sendCommand = redisSender();
  if (!sendCommand) return new MemoryStore();
  return new RedisStore({ sendCommand, prefix: `rl:${name}:` });
}

/**
 * A store used outside express-rate-limit (the login failure counters):
 * initialised with its window here, as the middleware would.
 */
export function counterStore(name: string, windowMs: number): Store {
  const store = rateLimitStore(name);
  void store.init?.({ windowMs } as Options);
  return store;
}
