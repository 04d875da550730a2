import { Types } from "mongoose";
import { Comment } from "../../src/models/comment.model.js";
import { Like, type LikeTarget } from "../../src/models/like.model.js";
import { Playlist } from "../../src/models/playlist.model.js";
import { Subscription } from "../../src/models/subscription.model.js";
import { Tweet } from "../../src/models/tweet.model.js";

type Owner = { id: string };
type Target = { _id: Types.ObjectId | string };

/** A playlist straight in the database. */
export function createPlaylist(
  owner: Owner,
  overrides: Partial<{
    name: string;
    description: string;
    videos: Target[];
    createdAt: Date;
  }> = {}
) {
  return Playlist.create({
    name: overrides.name ?? "Favourites",
    description: overrides.description ?? "",
    owner: owner.id,
    videos: (overrides.videos ?? []).map((video) => video._id),
    ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
  });
}

/** A tweet straight in the database. */
export function createTweet(
  owner: Owner,
  overrides: Partial<{ content: string; createdAt: Date }> = {}
) {
  return Tweet.create({
    content: overrides.content ?? `A tweet ${new Types.ObjectId().toString()}`,
    owner: owner.id,
    ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
  });
}

export function createLike(
  likedBy: Owner,
  targetType: LikeTarget,
  target: Target
) {
  return Like.create({ targetType, target: target._id, likedBy: likedBy.id });
}

export function createComment(
  owner: Owner,
  video: Target,
  content = "Nice one"
) {
  return Comment.create({ content, owner: owner.id, video: video._id });
}

export function createSubscription(subscriber: Owner, channel: Owner) {
  return Subscription.create({
    subscriber: subscriber.id,
    channel: channel.id,
  });
}

/** Distinct dates one minute apart, oldest first, for "newest first" checks. */
export const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000);

/**
 * Counts the database operations Mongoose sends while `work` runs. The
 * connection is not opened with `monitorCommands`, so Mongoose's debug hook
 * counts instead: it sees every collection call (find, aggregate, distinct...).
 */
export async function countQueries(work: () => Promise<unknown>) {
  const { default: mongoose } = await import("mongoose");
  const calls: string[] = [];
  mongoose.set("debug", (collection: string, method: string) => {
    calls.push(`${collection}.${method}`);
  });
  try {
    await work();
  } finally {
    mongoose.set("debug", false);
  }
  return calls;
}
