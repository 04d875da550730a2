import { redisSender } from "../redis.js";
import { isDatabaseUnavailable } from "../../utils/mongoErrors.js";
import { withRedisLock } from "./redisLock.js";

/**
 * Per key, the tail of its queue; it settles with the database error of the
 * turn ahead when that turn found the database away, so the turns queued
 * behind it can give up at once.
 */
const queues = new Map<string, Promise<unknown>>();

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
 *
 * When the turn ahead failed because the database is away, the waiting turns
 * fail with the same error without running: each would otherwise wait out
 * its own server selection after the one before it, and the last of a few
 * writes to one document would answer 503 long after the 2 s an outage
 * allows (tests/faults/database-down.test.ts saw 2.3 s).
 */
export async function serialized<T>(
  key: string,
  work: () => Promise<T>
): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  let settle: (databaseAway?: unknown) => void = () => undefined;
  const done = new Promise<unknown>((resolve) => {
    settle = resolve;
  });
  const tail = previous.then(() => done);
  queues.set(key, tail);
  const databaseAwayAhead = await previous;
  let databaseAway: unknown;
  try {
    if (databaseAwayAhead !== undefined) throw databaseAwayAhead;
    const send = redisSender();
    return await (send ? withRedisLock(send, key, work) : work());
  } catch (error) {
    if (isDatabaseUnavailable(error)) databaseAway = error;
    throw error;
  } finally {
    settle(databaseAway);
    if (queues.get(key) === tail) queues.delete(key);
  }
}
