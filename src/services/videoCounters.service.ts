import type { Types } from "mongoose";
import { Comment } from "../models/comment.model.js";
import { Like } from "../models/like.model.js";
import { Video } from "../models/video.model.js";
import { View } from "../models/view.model.js";
import { serialized } from "../utils/keyedLock.js";

/**
 * Every write to one video document goes through its queue: FerretDB applies
 * concurrent updates of one document without isolation, so a counter
 * written beside an unpublish could otherwise undo it (see keyedLock).
 */
export const writeVideo = <T>(
  videoId: Types.ObjectId,
  work: () => Promise<T>
) => serialized(`video:${String(videoId)}`, work);

/**
 * The counters a page shows (views, likes, comments) live on the video, so
 * lists and the dashboard read them instead of counting. Each is set from an
 * indexed count of its records after the write, never incremented: FerretDB
 * can lose concurrent $inc on one document, and a count heals any drift.
 */
async function storeCount(
  videoId: Types.ObjectId,
  field: "views" | "likesCount" | "commentsCount",
  count: () => Promise<number>
): Promise<number> {
  return writeVideo(videoId, async () => {
    const value = await count();
    await Video.updateOne(
      { _id: videoId },
      { $set: { [field]: value } },
      { timestamps: false }
    );
    return value;
  });
}

export const storeViewCount = (videoId: Types.ObjectId) =>
  storeCount(videoId, "views", () => View.countDocuments({ video: videoId }));

export const storeLikesCount = (videoId: Types.ObjectId) =>
  storeCount(videoId, "likesCount", () =>
    Like.countDocuments({ targetType: "video", target: videoId })
  );

export const storeCommentsCount = (videoId: Types.ObjectId) =>
  storeCount(videoId, "commentsCount", () =>
    Comment.countDocuments({ video: videoId })
  );

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
