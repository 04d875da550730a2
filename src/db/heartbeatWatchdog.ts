import type { mongo } from "mongoose";

/**
 * Calls `onStall` once when a heartbeat of `client` has neither succeeded
 * nor failed `stallMs` after it started. Returns a function that stops
 * watching.
 *
 * Why: with mongodb 7.8, when the database cuts every connection at once, a
 * heartbeat can be written to a socket that is already destroyed but not yet
 * seen closed; the driver then waits for its 'drain' forever, the monitor
 * never checks the server again, and every request answers 503 long after
 * the database is back (seen in tests/faults/database-down.test.ts about one
 * run in three). Only a new client gets out of that.
 *
 * Awaited heartbeats (MongoDB's streaming protocol) legitimately stay open
 * for the heartbeat interval, so only plain checks are timed.
 */
export function watchHeartbeats(
  client: mongo.MongoClient,
  stallMs: number,
  onStall: () => void
): () => void {
  let startedAt: number | undefined;
  const started = (event: mongo.ServerHeartbeatStartedEvent) => {
    if (!event.awaited) startedAt ??= Date.now();
  };
  const ended = () => {
    startedAt = undefined;
  };
  client.on("serverHeartbeatStarted", started);
  client.on("serverHeartbeatSucceeded", ended);
  client.on("serverHeartbeatFailed", ended);
  const timer = setInterval(
    () => {
      if (startedAt === undefined || Date.now() - startedAt < stallMs) return;
      stop();
      onStall();
    },
    Math.min(1_000, stallMs)
  );
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    client.off("serverHeartbeatStarted", started);
    client.off("serverHeartbeatSucceeded", ended);
    client.off("serverHeartbeatFailed", ended);
  };
  return stop;
}
