import { randomBytes } from "node:crypto";
import { Types } from "mongoose";
import { User, type UserDocument } from "../../src/models/user.model.js";
import { Video } from "../../src/models/video.model.js";
import type { VideoRecord } from "../../src/presenters/video.presenter.js";
import { startSession } from "../../src/services/session.service.js";

let sequence = 0;
const unique = () =>
  `${Date.now().toString(36)}${(sequence++).toString(36)}${randomBytes(2).toString("hex")}`;

export const DEFAULT_PASSWORD = "correct horse battery";

export interface TestUser {
  user: UserDocument;
  id: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  /** `Authorization` header value for supertest's `.set()`. */
  bearer: string;
}

/**
 * A user straight in the database (no upload, no HTTP), signed in with a
 * session of its own. Media point at placeholder ids that no storage holds.
 */
export async function createUser(
  overrides: Partial<{
    username: string;
    email: string;
    fullName: string;
    password: string;
  }> = {}
): Promise<TestUser> {
  const tag = unique();
  const password = overrides.password ?? DEFAULT_PASSWORD;
  const user = await User.create({
    username: overrides.username ?? `user_${tag}`,
    email: overrides.email ?? `user_${tag}@example.com`,
    fullName: overrides.fullName ?? `Test User ${tag}`,
    avatar: {
      url: `/uploads/image/avatar-${tag}.png`,
      publicId: `image/avatar-${tag}.png`,
    },
    password,
  });
  const session = await startSession(user.id as string, "vitest");
  return {
    user,
    id: user.id as string,
    password,
    ...session,
    bearer: `Bearer ${session.accessToken}`,
  };
}

/** `count` users at once, each with a session. */
export const createUsers = (count: number) =>
  Promise.all(Array.from({ length: count }, () => createUser()));

/** What others see of a test user (written out here, not taken from the presenter). */
export const publicViewOf = ({ id, user }: TestUser) => ({
  _id: id,
  username: user.username,
  fullName: user.fullName,
  avatar: user.avatar.url,
  coverImage: user.coverImage?.url ?? "",
});

/** An id that no document has. */
export const missingId = () => new Types.ObjectId().toString();

/**
 * A video straight in the database, as if published through the upload
 * pipeline. Its media ids point at no stored file.
 */
/** A video's media fields, pointing at no stored file, named by `tag`. */
export const mediaNamed = (tag: string) => ({
  videoFile: { url: `/uploads/video/${tag}.mp4`, publicId: `video/${tag}.mp4` },
  thumbnail: { url: `/uploads/image/${tag}.png`, publicId: `image/${tag}.png` },
});

export async function createVideo(
  owner: { id: string },
  // A video's own fields, media aside (they point at no stored file here).
  overrides: Partial<Omit<VideoRecord, "videoFile" | "thumbnail" | "_id">> = {}
) {
  const tag = unique();
  return Video.create({
    ...mediaNamed(tag),
    owner: owner.id,
    title: overrides.title ?? `Video ${tag}`,
    description: overrides.description ?? `About video ${tag}`,
    duration: overrides.duration ?? 60,
    views: overrides.views ?? 0,
    isPublished: overrides.isPublished ?? true,
    ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
  });
}
