import type { Types } from "mongoose";
import { Subscription } from "../models/subscription.model.js";
import {
  PUBLIC_USER_FIELDS,
  toPublicUser,
  User,
  type UserDocument,
  type UserFields,
} from "../models/user.model.js";
import { Video } from "../models/video.model.js";
import type { Pagination } from "../schemas/common.schema.js";
import { pageOf } from "../utils/paginate.js";
import type { UploadedFile } from "../middlewares/multer.middleware.js";
import type { StoredFile } from "../utils/storage/types.js";
import { isDuplicateKeyError } from "../utils/mongoErrors.js";
import { historyPage } from "./history.service.js";
import { persistWithUploads, toStoredMedia } from "./media.service.js";
import { toVideoSummary } from "./videoSummary.service.js";
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
 * Full name and/or email. Uniqueness is checked first because FerretDB
 * reports a duplicate key on update as an internal error.
 */
export async function updateAccount(
  user: UserDocument,
  changes: { fullName?: string; email?: string }
): Promise<UserDocument> {
  await assertAvailable({ email: changes.email }, user.id as string);
  if (changes.fullName !== undefined) user.fullName = changes.fullName;
  if (changes.email !== undefined) user.email = changes.email;
  await user.save();
  return user;
}

export async function channelProfile(username: string, viewerId?: string) {
  const channel = await User.findOne({ username });
  if (!channel) throw new ApiError(404, "Channel not found");
  const [subscribersCount, channelsSubscribedToCount, subscription] =
    await Promise.all([
      Subscription.countDocuments({ channel: channel._id }),
      Subscription.countDocuments({ subscriber: channel._id }),
      viewerId === undefined
        ? null
        : Subscription.exists({ channel: channel._id, subscriber: viewerId }),
    ]);
  return {
    ...toPublicUser(channel),
    subscribersCount,
    channelsSubscribedToCount,
    isSubscribed: subscription !== null,
  };
}

/**
 * The user's watch history, most recent first, each video with its owner:
 * three queries a page (entries, count, videos with their owners populated).
 * Videos that are no longer visible to the user are left out of the page.
 */
export async function watchHistory(userId: string, pagination: Pagination) {
  const { videoIds, total } = await historyPage(userId, pagination);
  const videos = await Video.find({
    _id: { $in: videoIds },
    $or: [{ isPublished: true }, { owner: userId }],
  }).populate<{ owner: UserFields & { _id: Types.ObjectId } }>(
    "owner",
    PUBLIC_USER_FIELDS
  );
  const byId = new Map(videos.map((video) => [String(video._id), video]));
  const docs = videoIds.flatMap((id) => {
    const video = byId.get(String(id));
    if (!video || !video.owner) return [];
    return [{ ...toVideoSummary(video), owner: toPublicUser(video.owner) }];
  });
  return pageOf(docs, total, pagination);
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
  return persistWithUploads(files, async (stored) => {
    try {
      return await User.create({
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
  });
}

/** Replaces the avatar or cover image; the old file goes once the user is saved. */
export async function replaceImage(
  user: UserDocument,
  field: "avatar" | "coverImage",
  file: UploadedFile
): Promise<UserDocument> {
  const previous = user[field];
  return persistWithUploads(
    { [field]: file },
    async (stored) => {
      user.set(field, toStoredMedia(stored[field] as StoredFile));
      await user.save();
      return user;
    },
    () => [previous]
  );
}
