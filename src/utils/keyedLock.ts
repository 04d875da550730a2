import { redisSender } from "../db/redis.js";
import { withRedisLock } from "./redisLock.js";

const queues = new Map<string, Promise<void>>();

/**
 * Runs `work` after every earlier call with the same key has finished, so
 * writes to one document from this process happen one at a time. Keys are
 * dropped when their queue empties, so the map holds only busy keys.
 *
 * Why: FerretDB 1.x applies an update as read-document, change, write-back
 * without isolation, so two concurrent `$addToSet`s (or a `$set` of the name
 * beside a `$pull`) on one playlist can lose one of the changes. On MongoDB
 * the operators alone are atomic; this queue makes FerretDB exact too, for a
 * single API process. With REDIS_URL set, the turn also holds a Redis lock on
 * the key, so several instances on one FerretDB take turns as well (the local
 * queue still comes first: a process asks Redis once per write, not once per
 * waiting request).
 */
export async function serialized<T>(
  key: string,
  work: () => Promise<T>
): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  let release: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => done);
  queues.set(key, tail);
  await previous;
  try {
    const send = redisSender();
    return await (send ? withRedisLock(send, key, work) : work());
  } finally {
    release();
    if (queues.get(key) === tail) queues.delete(key);
  }
}
