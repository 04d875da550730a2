import { Types } from "mongoose";
import { WATCH_HISTORY_LIMIT } from "../models/user.model.js";
import { WatchEntry } from "../models/watchEntry.model.js";
import { isDuplicateKeyError } from "../db/engine/index.js";

/** A signed-in viewer's watch of a video, as it goes into the history. */
export interface Watch {
  user: Types.ObjectId;
  video: Types.ObjectId;
  watchedAt: Date;
}

/** Moves a video to the top of the user's watch history, once. */
export function recordWatch(userId: string, videoId: string): Promise<void> {
  return recordWatches([
    {
      user: new Types.ObjectId(userId),
      video: new Types.ObjectId(videoId),
      watchedAt: new Date(),
    },
  ]);
}

/**
 * Moves each watched video to the top of its viewer's history, in one bulk
 * write; then trims the histories that gained an entry.
 */
export async function recordWatches(watches: Watch[]): Promise<void> {
  const latest = new Map<string, Watch>();
  for (const watch of watches) {
    const key = `${watch.user}:${watch.video}`;
    const seen = latest.get(key);
    if (!seen || seen.watchedAt <= watch.watchedAt) latest.set(key, watch);
  }
  const entries = [...latest.values()];
  if (entries.length === 0) return;
  let added: Watch[];
  try {
    const result = await WatchEntry.bulkWrite(
      entries.map(({ user, video, watchedAt }) => ({
        updateOne: {
          filter: { user, video },
          update: { $set: { watchedAt } },
          upsert: true,
        },
      })),
      { ordered: false }
    );
    added = Object.keys(result.upsertedIds).map(
      (index) => entries[Number(index)] as Watch
    );
  } catch {
    // A first watch that raced another on the unique (user, video) index
    // (another instance): one at a time, where a duplicate is a plain update.
    const outcomes = await Promise.all(entries.map(recordOne));
    added = entries.filter((_entry, index) => outcomes[index]);
  }
  const grown = new Set(added.map(({ user }) => String(user)));
  await Promise.all([...grown].map(trimHistory));
}

/** One watch; true when it added an entry to the history. */
async function recordOne({ user, video, watchedAt }: Watch): Promise<boolean> {
  const filter = { user, video };
  const update = { $set: { watchedAt } };
  try {
    return (
      (await WatchEntry.updateOne(filter, update, { upsert: true }))
        .upsertedCount === 1
    );
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await WatchEntry.updateOne(filter, update);
    return false;
  }
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
