import { Types } from "mongoose";
import { WATCH_HISTORY_LIMIT } from "../models/user.model.js";
import { WatchEntry } from "../models/watchEntry.model.js";
import { isDuplicateKeyError } from "../utils/mongoErrors.js";

/**
 * Moves a video to the top of the user's watch history, once. Two concurrent
 * first watches race on the unique (user, video) index; the loser's upsert
 * fails as a duplicate and its retry is a plain update.
 */
export async function recordWatch(
  userId: string,
  videoId: string
): Promise<void> {
  const filter = {
    user: new Types.ObjectId(userId),
    video: new Types.ObjectId(videoId),
  };
  const update = { $set: { watchedAt: new Date() } };
  let added = false;
  try {
    added =
      (await WatchEntry.updateOne(filter, update, { upsert: true }))
        .upsertedCount === 1;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await WatchEntry.updateOne(filter, update);
  }
  // Only a new entry can take the history past its limit.
  if (added) await trimHistory(userId);
}

/** Keeps only the WATCH_HISTORY_LIMIT most recent entries. */
async function trimHistory(userId: string): Promise<void> {
  const oldestKept = await WatchEntry.find({ user: userId }, { watchedAt: 1 })
    .sort({ watchedAt: -1, _id: -1 })
    .skip(WATCH_HISTORY_LIMIT - 1)
    .limit(1)
    .lean();
  const boundary = oldestKept[0];
  if (!boundary) return;
  await WatchEntry.deleteMany({
    user: userId,
    $or: [
      { watchedAt: { $lt: boundary.watchedAt } },
      { watchedAt: boundary.watchedAt, _id: { $lt: boundary._id } },
    ],
  });
}

/**
 * The ids of every video in the user's history, most recent first. The list
 * is capped at WATCH_HISTORY_LIMIT, so callers can filter it in memory.
 */
export async function historyVideoIds(
  userId: string
): Promise<Types.ObjectId[]> {
  const entries = await WatchEntry.find({ user: userId }, { video: 1 })
    .sort({ watchedAt: -1, _id: -1 })
    .limit(WATCH_HISTORY_LIMIT)
    .lean();
  return entries.map((entry) => entry.video);
}

/** Removes a deleted video from every watch history. */
export async function forgetVideoInHistories(videoId: string): Promise<void> {
  await WatchEntry.deleteMany({ video: new Types.ObjectId(videoId) });
}
