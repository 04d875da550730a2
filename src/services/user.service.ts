import { Types } from "mongoose";
import { Subscription } from "../models/subscription.model.js";
import { User, type UserDocument } from "../models/user.model.js";
import {
  PUBLIC_USER_FIELDS,
  toPublicUser,
} from "../presenters/user.presenter.js";
import { Video } from "../models/video.model.js";
import type { Pagination } from "../schemas/common.schema.js";
import { pageOf } from "../utils/paginate.js";
import type { UploadedFile } from "../types/upload.js";
import type { StoredFile } from "../utils/storage/types.js";
import {
  changeDocument,
  exclusively,
  findByIds,
  isDuplicateKeyError,
} from "../db/engine/index.js";
import type { StoredMedia } from "../models/media.schema.js";
import { historyVideoIds } from "./history.service.js";
import { flushWatches } from "./watchLog.service.js";
import { forgetUser } from "./viewer.service.js";
import { persistWithUploads, toStoredMedia } from "./media.service.js";
import { toVideoCard } from "../presenters/video.presenter.js";
import { toChannelProfile } from "../presenters/channel.presenter.js";
import { isVisibleTo, VISIBILITY_FIELDS } from "./videoVisibility.service.js";
import { publicUsersById } from "./publicUsers.service.js";
import { ApiError } from "../utils/ApiError.js";

/** 409 when the username or email belongs to another account (stored lowercase). */
export async function assertAvailable(
  fields: { username?: string; email?: string },
  exceptUserId?: string
): Promise<void> {
  const others =
    exceptUserId === undefined ? {} : { _id: { $ne: exceptUserId } };
  const [usernameTaken, emailTaken] = await Promise.all([
    fields.username === undefined
      ? null
      : User.exists({ ...others, username: fields.username }),
    fields.email === undefined
      ? null
      : User.exists({ ...others, email: fields.email }),
  ]);
  const errors = [
    ...(usernameTaken
      ? [{ path: "username", message: "Username is taken" }]
      : []),
    ...(emailTaken
      ? [{ path: "email", message: "Email is already registered" }]
      : []),
  ];
  if (errors.length > 0) {
    throw new ApiError(
      409,
      errors.map((error) => error.message).join("; "),
      errors
    );
  }
}

/**
 * Full name and/or email. An email another account has is a 409 naming the
 * field (the unique index decides; the check only says which field).
 */
export async function updateAccount(
  user: UserDocument,
  changes: { fullName?: string; email?: string }
): Promise<UserDocument> {
  return writeUser(user.id as string, async () => {
    const current = (await User.findById(user._id)) ?? user;
    if (changes.fullName !== undefined) current.fullName = changes.fullName;
    if (changes.email !== undefined) current.email = changes.email;
    try {
      await current.save();
    } catch (error) {
      if (isDuplicateKeyError(error))
        await assertAvailable({ email: changes.email }, user.id as string);
      throw error;
    }
    return current;
  });
}

export async function channelProfile(username: string, viewerId?: string) {
  const channel = await User.findOne({ username }, PUBLIC_USER_FIELDS).lean();
  if (!channel) throw new ApiError(404, "Channel not found");
  const [subscribersCount, channelsSubscribedToCount, subscription] =
    await Promise.all([
      Subscription.countDocuments({ channel: channel._id }),
      Subscription.countDocuments({ subscriber: channel._id }),
      viewerId === undefined
        ? null
        : Subscription.exists({ channel: channel._id, subscriber: viewerId }),
    ]);
  return toChannelProfile(toPublicUser(channel), {
    subscribersCount,
    channelsSubscribedToCount,
    isSubscribed: subscription !== null,
  });
}

/**
 * The user's watch history, most recent first, each video with its owner.
 * Videos the user may no longer see (unpublished by someone else, being
 * deleted) are filtered before paging, so totals and pages agree: three
 * queries a page (entries, visible ids, the page's videos with owners).
 */
export async function watchHistory(userId: string, pagination: Pagination) {
  // This instance's own batched watches first: a viewer sees at once what
  // they just watched (other instances' after WATCH_FLUSH_INTERVAL_MS).
  await flushWatches();
  const watched = await historyVideoIds(userId);
  const visible = new Set(
    (await findByIds(Video, watched, VISIBILITY_FIELDS))
      .filter((video) => isVisibleTo(video, userId))
      .map((video) => String(video._id))
  );
  const shown = watched.filter((id) => visible.has(String(id)));
  const start = (pagination.page - 1) * pagination.limit;
  const pageIds = shown.slice(start, start + pagination.limit);
  const videos = await findByIds(Video, pageIds, {});
  const owners = await publicUsersById(videos.map((video) => video.owner));
  const byId = new Map(videos.map((video) => [String(video._id), video]));
  const docs = pageIds.flatMap((id) => {
    const video = byId.get(String(id));
    const owner = video && owners.get(String(video.owner));
    if (!video || !owner) return [];
    return [toVideoCard(video, owner)];
  });
  return pageOf(docs, shown.length, pagination);
}

/**
 * Creates the account: conflicts are checked before anything is stored, the
 * files are stored, and if the user cannot be saved the stored files are
 * deleted again (persistWithUploads), so a failed registration leaves nothing.
 */
export async function register(
  fields: {
    fullName: string;
    email: string;
    username: string;
    password: string;
  },
  files: { avatar: UploadedFile; coverImage?: UploadedFile }
): Promise<UserDocument> {
  await assertAvailable(fields);
  // Chosen here, so a registration cut off mid-write can be looked up later.
  const userId = new Types.ObjectId();
  return persistWithUploads(
    files,
    async (stored) => {
      try {
        return await User.create({
          _id: userId,
          ...fields,
          avatar: toStoredMedia(stored.avatar as StoredFile),
          ...(stored.coverImage
            ? { coverImage: toStoredMedia(stored.coverImage) }
            : {}),
        });
      } catch (error) {
        // Two registrations racing for one name: the unique index decides.
        if (isDuplicateKeyError(error)) await assertAvailable(fields);
        throw error;
      }
    },
    undefined,
    async () => (await User.exists({ _id: userId })) !== null
  );
}

/**
 * A write of one user document (see `exclusively`); the auth cache forgets
 * the user afterwards, so the next request reads the change.
 */
export const writeUser = <T>(userId: string, work: () => Promise<T>) =>
  exclusively(User, new Types.ObjectId(userId), async () => {
    try {
      return await work();
    } finally {
      // Also after a failure: the write may have landed before it failed.
      forgetUser(userId);
    }
  });

/**
 * Replaces the avatar or cover image; the file it replaced goes once the user
 * is saved. The file replaced is the one the write replaced (changeDocument),
 * so of two concurrent replacements each deletes the file the other one
 * replaced, and none is left.
 */
export async function replaceImage(
  user: UserDocument,
  field: "avatar" | "coverImage",
  file: UploadedFile
): Promise<UserDocument> {
  let replaced: StoredMedia | undefined;
  const gone = () => new ApiError(401, "Unauthorized: sign in again");
  await persistWithUploads(
    { [field]: file },
    async (stored) => {
      try {
        await changeDocument(User, user._id, [field], (current) => {
          if (!current) throw gone();
          replaced = current[field];
          const update = {
            $set: { [field]: toStoredMedia(stored[field] as StoredFile) },
          };
          return { update, result: undefined };
        });
      } finally {
        // Also after a failure: the write may have landed before it failed.
        forgetUser(user.id as string);
      }
    },
    () => [replaced],
    async (file) =>
      (await User.exists({
        _id: user._id,
        [`${field}.publicId`]: file.publicId,
      })) !== null
  );
  // Read after the files are settled: a read that fails here must not make
  // a stored write look like a failed one.
  const current = await User.findById(user._id);
  if (!current) throw gone();
  return current;
}
