import { Types, type UpdateQuery } from "mongoose";
import type { PlaylistDocument } from "../middlewares/playlist.middleware.js";
import { Playlist, type PlaylistFields } from "../models/playlist.model.js";
import {
  PUBLIC_USER_FIELDS,
  User,
  toPublicUser,
  type PublicUser,
  type UserFields,
} from "../models/user.model.js";
import { Video, type VideoFields } from "../models/video.model.js";
import type { Pagination } from "../schemas/common.schema.js";
import { ApiError } from "../utils/ApiError.js";
import { serialized } from "../utils/keyedLock.js";
import { mapPage, paginate, type Page } from "../utils/paginate.js";
import { toVideoSummary, type VideoSummary } from "./videoSummary.service.js";

type Id = Types.ObjectId | string;
type PlaylistRecord = PlaylistFields & { _id: Types.ObjectId };

interface PlaylistBase {
  _id: string;
  name: string;
  description: string;
  owner: PublicUser;
  createdAt: Date;
  updatedAt: Date;
}

export interface PlaylistJson extends PlaylistBase {
  videos: string[];
}

export interface PlaylistDetail extends PlaylistBase {
  videos: (VideoSummary & { owner: PublicUser })[];
}

export interface PlaylistSummary extends PlaylistBase {
  videosCount: number;
}

function base(playlist: PlaylistRecord, owner: PublicUser): PlaylistBase {
  return {
    _id: String(playlist._id),
    name: playlist.name,
    description: playlist.description,
    owner,
    createdAt: playlist.createdAt,
    updatedAt: playlist.updatedAt,
  };
}

const toPlaylistJson = (
  playlist: PlaylistRecord,
  owner: PublicUser
): PlaylistJson => ({
  ...base(playlist, owner),
  videos: playlist.videos.map(String),
});

/**
 * Whether a video in someone's playlist shows to this viewer: published
 * ones to everyone; an unpublished one only to the playlist owner, and only
 * when it is their own video (someone else's video that went private since
 * it was added stays private).
 */
function isVisible(
  video: { isPublished: boolean; owner: Id; deletingAt?: Date },
  playlistOwner: Types.ObjectId,
  viewerId: Types.ObjectId | undefined
): boolean {
  if (video.deletingAt) return false;
  if (video.isPublished) return true;
  return (
    viewerId !== undefined &&
    playlistOwner.equals(viewerId) &&
    playlistOwner.equals(String(video.owner))
  );
}

export async function createPlaylist(
  owner: { _id: Types.ObjectId } & Parameters<typeof toPublicUser>[0],
  fields: { name: string; description: string }
): Promise<PlaylistJson> {
  const playlist = await Playlist.create({ ...fields, owner: owner._id });
  return toPlaylistJson(playlist.toObject(), toPublicUser(owner));
}

/** Re-reads a playlist after a write, so the answer shows every concurrent change. */
async function freshPlaylist(
  playlistId: Types.ObjectId,
  owner: PublicUser
): Promise<PlaylistJson> {
  const playlist = await Playlist.findById(playlistId).lean();
  if (!playlist) throw new ApiError(404, "Playlist not found");
  return toPlaylistJson(playlist, owner);
}

/**
 * Every write to a playlist document goes through here: one at a time per
 * playlist (see `serialized` for the FerretDB lost-update it prevents), each
 * a single update operator, so MongoDB stays exact across processes too.
 */
async function writePlaylist(
  playlistId: Types.ObjectId,
  update: UpdateQuery<PlaylistFields>
): Promise<void> {
  await serialized(`playlist:${String(playlistId)}`, () =>
    Playlist.updateOne({ _id: playlistId }, update).exec()
  );
}

/** Takes a deleted video out of every playlist, each write through its queue. */
export async function removeVideoFromAllPlaylists(
  videoId: Types.ObjectId
): Promise<void> {
  const playlists = await Playlist.find({ videos: videoId }, { _id: 1 }).lean();
  for (const { _id } of playlists) {
    await writePlaylist(_id, { $pull: { videos: videoId } });
  }
}

export async function updatePlaylist(
  playlist: PlaylistDocument,
  owner: PublicUser,
  changes: { name?: string; description?: string }
): Promise<PlaylistJson> {
  const $set: Partial<Pick<PlaylistFields, "name" | "description">> = {};
  if (changes.name !== undefined) $set.name = changes.name;
  if (changes.description !== undefined) $set.description = changes.description;
  await writePlaylist(playlist._id, { $set });
  return freshPlaylist(playlist._id, owner);
}

export async function deletePlaylist(playlist: PlaylistDocument) {
  await Playlist.deleteOne({ _id: playlist._id });
}

/** Adds a video once ($addToSet): adding twice keeps one entry. */
export async function addVideo(
  playlist: PlaylistDocument,
  owner: PublicUser,
  videoId: string
): Promise<PlaylistJson> {
  const video = await Video.findById(videoId, {
    isPublished: 1,
    owner: 1,
    deletingAt: 1,
  })
    .lean()
    .exec();
  // Someone else's unpublished video does not exist for this viewer.
  if (!video || !isVisible(video, playlist.owner, playlist.owner)) {
    throw new ApiError(404, "Video not found");
  }
  await writePlaylist(playlist._id, { $addToSet: { videos: video._id } });
  return freshPlaylist(playlist._id, owner);
}

/** Removes a video (also one that was deleted since); removing an absent one is a no-op. */
export async function removeVideo(
  playlist: PlaylistDocument,
  owner: PublicUser,
  videoId: string
): Promise<PlaylistJson> {
  await writePlaylist(playlist._id, {
    $pull: { videos: new Types.ObjectId(videoId) },
  });
  return freshPlaylist(playlist._id, owner);
}

type PopulatedVideo = Omit<VideoFields, "owner"> & {
  _id: Types.ObjectId;
  owner:
    | (Pick<UserFields, "username" | "fullName" | "avatar" | "coverImage"> & {
        _id: Types.ObjectId;
      })
    | null;
};

/** The playlist with the videos this viewer may see, in playlist order: two queries. */
export async function playlistDetail(
  playlist: PlaylistDocument,
  viewerId: Types.ObjectId | undefined
): Promise<PlaylistDetail> {
  const [owner, videos] = await Promise.all([
    User.findById(playlist.owner, PUBLIC_USER_FIELDS).lean(),
    Video.find({ _id: { $in: playlist.videos } })
      .populate<{ owner: PopulatedVideo["owner"] }>("owner", PUBLIC_USER_FIELDS)
      .lean<PopulatedVideo[]>(),
  ]);
  if (!owner) throw new ApiError(404, "Playlist not found");
  const byId = new Map(videos.map((video) => [String(video._id), video]));
  const shown: PlaylistDetail["videos"] = [];
  for (const id of playlist.videos) {
    const video = byId.get(String(id));
    // Deleted videos (and videos of deleted users) are skipped.
    if (!video?.owner) continue;
    const videoOwner = video.owner;
    if (
      !isVisible({ ...video, owner: videoOwner._id }, playlist.owner, viewerId)
    )
      continue;
    shown.push({ ...toVideoSummary(video), owner: toPublicUser(videoOwner) });
  }
  return { ...base(playlist.toObject(), toPublicUser(owner)), videos: shown };
}

/**
 * A user's playlists, newest first. videosCount counts what the viewer would
 * see in each, from one query over the videos of the whole page.
 */
export async function userPlaylists(
  userId: string,
  viewerId: Types.ObjectId | undefined,
  pagination: Pagination
): Promise<Page<PlaylistSummary>> {
  const user = await User.findById(userId, PUBLIC_USER_FIELDS).lean();
  if (!user) throw new ApiError(404, "User not found");
  const page = await paginate<PlaylistFields, PlaylistRecord>(
    Playlist,
    [{ $match: { owner: user._id } }],
    { createdAt: -1 },
    pagination
  );
  const videoIds = page.docs.flatMap((playlist) => playlist.videos);
  const videos =
    videoIds.length === 0
      ? []
      : await Video.find(
          { _id: { $in: videoIds } },
          { isPublished: 1, owner: 1, deletingAt: 1 }
        ).lean();
  const videoById = new Map(videos.map((video) => [String(video._id), video]));
  const owner = toPublicUser(user);
  return mapPage(page, (docs) =>
    docs.map((playlist) => ({
      ...base(playlist, owner),
      videosCount: playlist.videos.filter((id) => {
        const video = videoById.get(String(id));
        return video !== undefined && isVisible(video, user._id, viewerId);
      }).length,
    }))
  );
}
