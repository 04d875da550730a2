import type { Types } from "mongoose";
import { Comment } from "../models/comment.model.js";
import { Like } from "../models/like.model.js";
import { Video } from "../models/video.model.js";
import { View } from "../models/view.model.js";
import { outsideRequests } from "../db/commandLog.js";
import {
  changeCounter,
  recountCounter,
  type CountedChange,
} from "../db/engine/index.js";
import { isDatabaseUnavailable } from "../utils/mongoErrors.js";

type Counter = "views" | "likesCount" | "commentsCount";

const counters: Record<Counter, (videoId: Types.ObjectId) => Promise<number>> =
  {
    views: (videoId) => View.countDocuments({ video: videoId }),
    likesCount: (videoId) =>
      Like.countDocuments({ targetType: "video", target: videoId }),
    commentsCount: (videoId) => Comment.countDocuments({ video: videoId }),
  };

/**
 * The counters a page shows (views, likes, comments) live on the video, so
 * lists and the dashboard read them instead of counting. `change` adds or
 * removes the records and says by how many; the counter follows, exact
 * under concurrent changes (see changeCounter).
 */
export async function changeCounted<T>(
  videoId: Types.ObjectId,
  field: Counter,
  change: () => Promise<CountedChange<T>>
): Promise<{ result: T; count: number }> {
  try {
    return await changeCounter(Video, videoId, field, change, () =>
      counters[field](videoId)
    );
  } catch (error) {
    // A connection cut after the write loses its answer, not the write: the
    // records may be stored while the count is not. Any other failure (a
    // refused change, a document lock not had) changed nothing to count.
    if (isDatabaseUnavailable(error)) markStale(videoId, field);
    throw error;
  }
}

/**
 * Sets a counter from its records counted again; whatever stops it (the
 * database or a document lock away), it is marked stale for the next try.
 */
export async function repairCounter(
  videoId: Types.ObjectId,
  field: Counter
): Promise<number> {
  try {
    return await recountCounter(Video, videoId, field, () =>
      counters[field](videoId)
    );
  } catch (error) {
    markStale(videoId, field);
    throw error;
  }
}

/**
 * Counters whose records may be written while their count is not (the
 * database or a document lock went away in between: a 503 for a like that
 * is stored, a batch of views whose insert was cut). They are counted again
 * every STALE_RETRY_MS until it works, so no counter stays wrong until the
 * video's next like, comment or view.
 */
const STALE_RETRY_MS = 1_000;
const stale = new Map<string, { videoId: Types.ObjectId; field: Counter }>();
let retryTimer: NodeJS.Timeout | undefined;

export function markStale(videoId: Types.ObjectId, field: Counter): void {
  stale.set(`${String(videoId)}:${field}`, { videoId, field });
  if (retryTimer) return;
  retryTimer = outsideRequests(() =>
    setTimeout(() => {
      retryTimer = undefined;
      void recountStaleCounters();
    }, STALE_RETRY_MS)
  );
  retryTimer.unref();
}

/** Counts the stale counters again; the ones that fail stay for the next try. */
export async function recountStaleCounters(): Promise<void> {
  const entries = [...stale.values()];
  stale.clear();
  await outsideRequests(() =>
    Promise.allSettled(
      entries.map(({ videoId, field }) => repairCounter(videoId, field))
    )
  );
}

/** Stops the retry timer (shutdown: the last recount is the caller's). */
export function stopStaleRetries(): void {
  clearTimeout(retryTimer);
  retryTimer = undefined;
}

/**
 * Videos stored before they kept counters (an older database) get them
 * once, at start-up; afterwards every write keeps them.
 */
export async function backfillVideoCounters(): Promise<number> {
  const missing = await Video.find(
    { likesCount: { $exists: false } },
    { _id: 1 }
  ).lean();
  for (const { _id } of missing) {
    await repairCounter(_id, "likesCount");
    await repairCounter(_id, "commentsCount");
  }
  return missing.length;
}
