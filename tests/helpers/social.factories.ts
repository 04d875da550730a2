import { Types } from "mongoose";
import { Comment } from "../../src/models/comment.model.js";
import { Like, type LikeTarget } from "../../src/models/like.model.js";
import { Subscription } from "../../src/models/subscription.model.js";
import { Tweet } from "../../src/models/tweet.model.js";

type HasId = { id: string } | { _id: Types.ObjectId | string };

const idOf = (thing: HasId) =>
  new Types.ObjectId(String("id" in thing ? thing.id : thing._id));

/** A comment straight in the database. */
export function createComment(
  author: HasId,
  video: HasId,
  overrides: Partial<{ content: string; createdAt: Date }> = {}
) {
  return Comment.create({
    content: overrides.content ?? "A comment",
    video: idOf(video),
    owner: idOf(author),
    ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
  });
}

/** A tweet straight in the database (the tweets router is another area). */
export function createTweet(
  owner: HasId,
  overrides: Partial<{ content: string }> = {}
) {
  return Tweet.create({
    content: overrides.content ?? "A tweet",
    owner: idOf(owner),
  });
}

/** A like by `user` of a target, straight in the database. */
export function likeTarget(
  user: HasId,
  targetType: LikeTarget,
  target: HasId,
  overrides: Partial<{ createdAt: Date }> = {}
) {
  return Like.create({
    targetType,
    target: idOf(target),
    likedBy: idOf(user),
    ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
  });
}

/** `subscriber` subscribes to `channel`, straight in the database. */
export function subscribe(
  subscriber: HasId,
  channel: HasId,
  overrides: Partial<{ createdAt: Date }> = {}
) {
  return Subscription.create({
    subscriber: idOf(subscriber),
    channel: idOf(channel),
    ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
  });
}

/**
 * Counts the database commands Mongoose sends while `work` runs, to show a
 * page costs the same queries whatever its size (no N+1). Mongoose's debug
 * hook sees every collection call, including aggregate, distinct and find.
 */
export async function countQueries(work: () => Promise<unknown>) {
  const { default: mongoose } = await import("mongoose");
  let count = 0;
  mongoose.set("debug", () => {
    count++;
  });
  try {
    await work();
  } finally {
    mongoose.set("debug", false);
  }
  return count;
}

/** Fails if a response leaks a password or any of the given emails. */
export function leakedSecrets(body: unknown, foreignEmails: string[]) {
  const text = JSON.stringify(body);
  const leaks: string[] = [];
  if (/password/i.test(text)) leaks.push("password");
  for (const email of foreignEmails)
    if (text.includes(email)) leaks.push(email);
  return leaks;
}

/** The `collection.method` of every command Mongoose sends while `work` runs. */
export async function recordCommands(work: () => Promise<unknown>) {
  const { default: mongoose } = await import("mongoose");
  const commands: string[] = [];
  mongoose.set("debug", (collection: string, method: string) => {
    commands.push(`${collection}.${method}`);
  });
  try {
    await work();
  } finally {
    mongoose.set("debug", false);
  }
  return commands;
}
