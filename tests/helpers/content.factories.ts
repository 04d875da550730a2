import { Types } from "mongoose";
import { onRequestCommands, type DbCommand } from "../../src/db/commandLog.js";
import { repairCounter } from "../../src/services/videoCounters.service.js";
import { Comment } from "../../src/models/comment.model.js";
import { Like, type LikeTarget } from "../../src/models/like.model.js";
import { Playlist } from "../../src/models/playlist.model.js";
import { Subscription } from "../../src/models/subscription.model.js";
import { Tweet } from "../../src/models/tweet.model.js";

/**
 * Anything that names a document: a `TestUser` (`id`), a Mongoose document
 * (`id` and `_id`) or a bare `{ _id }`.
 */
export type HasId = { id: string } | { _id: Types.ObjectId | string };

const idOf = (thing: HasId) =>
  new Types.ObjectId(String("id" in thing ? thing.id : thing._id));

/** `createdAt` only when given, so the schema's timestamps apply otherwise. */
const createdAtOf = (createdAt: Date | undefined) =>
  createdAt ? { createdAt } : {};

/** A comment by `owner` on `video`, straight in the database. */
export async function createComment(
  owner: HasId,
  video: HasId,
  overrides: Partial<{ content: string; createdAt: Date }> = {}
) {
  const comment = await Comment.create({
    content: overrides.content ?? "A comment",
    video: idOf(video),
    owner: idOf(owner),
    ...createdAtOf(overrides.createdAt),
  });
  // The video's counter, as the API keeps it.
  await repairCounter(comment.video, "commentsCount");
  return comment;
}

/** A like by `likedBy` of a target, straight in the database. */
export async function createLike(
  likedBy: HasId,
  targetType: LikeTarget,
  target: HasId,
  overrides: Partial<{ createdAt: Date }> = {}
) {
  const like = await Like.create({
    targetType,
    target: idOf(target),
    likedBy: idOf(likedBy),
    ...createdAtOf(overrides.createdAt),
  });
  // A video's counter, as the API keeps it.
  if (targetType === "video") await repairCounter(like.target, "likesCount");
  return like;
}

/** A playlist of `owner`'s, straight in the database. */
export function createPlaylist(
  owner: HasId,
  overrides: Partial<{
    name: string;
    description: string;
    videos: HasId[];
    createdAt: Date;
  }> = {}
) {
  return Playlist.create({
    name: overrides.name ?? "Favourites",
    description: overrides.description ?? "",
    owner: idOf(owner),
    videos: (overrides.videos ?? []).map(idOf),
    ...createdAtOf(overrides.createdAt),
  });
}

/** A tweet by `owner`, straight in the database; its content is unique. */
export function createTweet(
  owner: HasId,
  overrides: Partial<{ content: string; createdAt: Date }> = {}
) {
  return Tweet.create({
    content: overrides.content ?? `A tweet ${new Types.ObjectId().toString()}`,
    owner: idOf(owner),
    ...createdAtOf(overrides.createdAt),
  });
}

/** `subscriber` subscribes to `channel`, straight in the database. */
export function createSubscription(
  subscriber: HasId,
  channel: HasId,
  overrides: Partial<{ createdAt: Date }> = {}
) {
  return Subscription.create({
    subscriber: idOf(subscriber),
    channel: idOf(channel),
    ...createdAtOf(overrides.createdAt),
  });
}

/** Distinct dates one minute apart, oldest first, for "newest first" checks. */
export const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000);

/** Fails if a response leaks a password or any of the given emails. */
export function leakedSecrets(body: unknown, foreignEmails: string[]) {
  const text = JSON.stringify(body);
  const leaks: string[] = [];
  if (/password/i.test(text)) leaks.push("password");
  for (const email of foreignEmails)
    if (text.includes(email)) leaks.push(email);
  return leaks;
}

/**
 * Every database command the requests answered while `work` runs sent, with
 * its arguments (filter, options). Counted per request by the app's own
 * command log, so writes made outside a request (the batched views and
 * history) never land in a measured request's count.
 */
export async function sentCommands(
  work: () => Promise<unknown>
): Promise<DbCommand[]> {
  const sent: DbCommand[] = [];
  const stop = onRequestCommands(({ commands }) => sent.push(...commands));
  try {
    await work();
  } finally {
    stop();
  }
  return sent;
}

/** The `collection.method` of every command the requests in `work` sent. */
export async function recordCommands(work: () => Promise<unknown>) {
  return (await sentCommands(work)).map(
    ({ collection, method }) => `${collection}.${method}`
  );
}

/**
 * How many database commands Mongoose sends while `work` runs, to show a
 * page costs the same queries whatever its size (no N+1).
 */
export async function countQueries(work: () => Promise<unknown>) {
  return (await recordCommands(work)).length;
}
