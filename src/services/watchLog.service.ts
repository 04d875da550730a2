import { Types } from "mongoose";
import { config } from "../config.js";
import { outsideRequests } from "../db/commandLog.js";
import { View } from "../models/view.model.js";
import { logger } from "../utils/logger.js";
import { isDuplicateKeyError } from "../db/engine/index.js";
import { recordWatches, type Watch } from "./history.service.js";
import { changeCounted, markStale } from "./videoCounters.service.js";

/**
 * Views and watch history are written after the answer, in batches: a
 * watch waits for no write. Pending watches are written every
 * WATCH_FLUSH_INTERVAL_MS (sooner when WATCH_FLUSH_BATCH are waiting), on
 * shutdown, and before this instance reads a history or deletes a video.
 */
let pending: Watch[] = [];
let timer: NodeJS.Timeout | undefined;
// One batch at a time, in order: each flush waits for the ones before it.
let flushed: Promise<void> = Promise.resolve();
let lastWatchedAt = 0;

/** Queues a signed-in viewer's watch of a video. */
export function queueWatch(videoId: Types.ObjectId, viewerId: string): void {
  // Strictly increasing, so two watches in one millisecond keep their order.
  lastWatchedAt = Math.max(Date.now(), lastWatchedAt + 1);
  pending.push({
    video: videoId,
    user: new Types.ObjectId(viewerId),
    watchedAt: new Date(lastWatchedAt),
  });
  dropOldestBeyondMax();
  // On reaching the batch size, not on every watch beyond it: while the
  // database is away, the retry timer alone writes the growing queue.
  if (pending.length === config.watches.flushBatch) void flushWatches();
  else scheduleFlush();
}

/** At most WATCH_PENDING_MAX watches wait; beyond that the oldest go. */
function dropOldestBeyondMax(): void {
  const dropped = pending.length - config.watches.pendingMax;
  if (dropped <= 0) return;
  pending.splice(0, dropped);
  logger.warn({ dropped }, "too many views and history entries waiting");
}

function scheduleFlush(): void {
  if (timer) return;
  // Outside the request, so the batch is not counted as the request's work.
  timer = outsideRequests(() =>
    setTimeout(() => {
      timer = undefined;
      void flushWatches();
    }, config.watches.flushIntervalMs)
  );
  timer.unref();
}

/** Cancels the pending timer (shutdown: the last flush is the caller's). */
export function stopWatchFlushes(): void {
  clearTimeout(timer);
  timer = undefined;
}

/**
 * Writes every watch queued so far; resolves once they are stored. A batch
 * that fails (the database away) is queued again, up to WATCH_PENDING_MAX.
 */
export function flushWatches(): Promise<void> {
  flushed = flushed.then(() =>
    outsideRequests(async () => {
      const batch = pending;
      pending = [];
      if (batch.length === 0) return;
      try {
        await writeBatch(batch);
      } catch (error) {
        pending = [...batch, ...pending];
        dropOldestBeyondMax();
        logger.warn(
          { err: error, waiting: pending.length },
          "writing views and history failed; retrying"
        );
        scheduleFlush();
      }
    })
  );
  return flushed;
}

async function writeBatch(batch: Watch[]): Promise<void> {
  await Promise.all([countViews(batch), recordWatches(batch)]);
}

/**
 * Inserts each (video, viewer) once: the unique index turns repeat views
 * into duplicate-key errors, which are expected and skipped; each video's
 * counter then moves by the views it gained (a counter that cannot be moved
 * is counted again by videoCounters' stale counters).
 */
async function countViews(batch: Watch[]): Promise<void> {
  const views = new Map(
    batch.map(({ video, user }) => [
      `${video}:${user}`,
      { video, viewer: user },
    ])
  );
  const docs = [...views.values()];
  let failedIndexes = new Set<number>();
  try {
    await View.insertMany(docs, { ordered: false });
  } catch (error) {
    const writeErrors = duplicateOnlyWriteErrors(error);
    if (!writeErrors) {
      // Some views may be stored: the batch's retry will find them
      // duplicates and count nothing, so their counts are due regardless.
      for (const { video } of docs) markStale(video, "views");
      throw error;
    }
    failedIndexes = new Set(writeErrors);
  }
  const gained = new Map<string, { video: Types.ObjectId; views: number }>();
  docs.forEach(({ video }, index) => {
    if (failedIndexes.has(index)) return;
    const entry = gained.get(String(video)) ?? { video, views: 0 };
    entry.views++;
    gained.set(String(video), entry);
  });
  await Promise.all(
    [...gained.values()].map(({ video, views }) =>
      changeCounted(video, "views", () =>
        Promise.resolve({ result: undefined, delta: views })
      ).catch((error: unknown) => {
        // The views are stored: a retried batch finds them duplicates and
        // moves nothing, so their counter is counted again instead.
        markStale(video, "views");
        throw error;
      })
    )
  );
}

/** The indexes of the failed inserts when every failure is a duplicate. */
function duplicateOnlyWriteErrors(error: unknown): number[] | undefined {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  // A connection lost mid-insert is a MongoBulkWriteError too, with no
  // write error at all: nothing says which views were stored, so the whole
  // batch is retried (the unique index skips the ones that were).
  if (!Array.isArray(writeErrors) || writeErrors.length === 0) return undefined;
  const indexes: number[] = [];
  for (const writeError of writeErrors as { index: number; code?: number }[]) {
    if (!isDuplicateKeyError(writeError)) return undefined;
    indexes.push(writeError.index);
  }
  return indexes;
}
