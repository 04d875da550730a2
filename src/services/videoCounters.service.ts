import type { Types } from "mongoose";
import { Comment } from "../models/comment.model.js";
import { Like } from "../models/like.model.js";
import { Video } from "../models/video.model.js";
import { View } from "../models/view.model.js";
import { outsideRequests } from "../db/commandLog.js";
import { serialized } from "../utils/keyedLock.js";
import { isDatabaseUnavailable } from "../utils/mongoErrors.js";

/**
 * Every write to one video document goes through its queue: FerretDB applies
 * concurrent updates of one document without isolation, so a counter
 * written beside an unpublish could otherwise undo it (see keyedLock).
 */
export const writeVideo = <T>(
  videoId: Types.ObjectId,
  work: () => Promise<T>
) => serialized(`video:${String(videoId)}`, work);

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
 * lists and the dashboard read them instead of counting. Each is set from an
 * indexed count of its records, never incremented: FerretDB can lose
 * concurrent $inc on one document, and a count heals any drift.
 *
 * `change` (adding or removing the records) runs in the same turn of the
 * video's queue as the count: when the turn cannot be had (Redis away, on
 * several instances) the records are not touched either, so a refused
 * request never leaves a counter that disagrees with its records.
 */
export async function changeCounted<T>(
  videoId: Types.ObjectId,
  field: Counter,
  change: () => Promise<T>
): Promise<{ result: T; count: number }> {
  try {
    return await writeVideo(videoId, async () => {
      const result = await change();
      const count = await counters[field](videoId);
      await Video.updateOne(
        { _id: videoId },
        { $set: { [field]: count } },
        { timestamps: false }
      );
      return { result, count };
    });
  } catch (error) {
    // A connection cut after the write loses its answer, not the write: the
    // records may be stored while the count is not. Any other failure (a
    // refused change, the Redis lock not had) changed nothing to count.
    if (isDatabaseUnavailable(error)) markStale(videoId, field);
    throw error;
  }
}

/**
 * Stores the count of records already written: whatever stops it (the
 * database or the Redis lock away), the counter is behind its records.
 */
async function storeCount(videoId: Types.ObjectId, field: Counter) {
  try {
    return (await changeCounted(videoId, field, () => Promise.resolve())).count;
  } catch (error) {
    markStale(videoId, field);
    throw error;
  }
}

export const storeViewCount = (videoId: Types.ObjectId) =>
  storeCount(videoId, "views");

export const storeLikesCount = (videoId: Types.ObjectId) =>
  storeCount(videoId, "likesCount");

export const storeCommentsCount = (videoId: Types.ObjectId) =>
  storeCount(videoId, "commentsCount");

/**
 * Counters whose records may be written while their count is not (the
 * database or the Redis lock went away in between: a 503 for a like that is
 * stored, a batch of views whose insert was cut). They are counted again
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
      entries.map(({ videoId, field }) => storeCount(videoId, field))
    )
  );
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
    await storeLikesCount(_id);
    await storeCommentsCount(_id);
  }
  return missing.length;
}
