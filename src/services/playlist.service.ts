import { Types, type UpdateQuery } from "mongoose";
import {
  Playlist,
  type PlaylistDocument,
  type PlaylistFields,
} from "../models/playlist.model.js";
import { User } from "../models/user.model.js";
import {
  PUBLIC_USER_FIELDS,
  toPublicUser,
  type PublicUser,
} from "../presenters/user.presenter.js";
import { Video } from "../models/video.model.js";
import type { Pagination } from "../schemas/common.schema.js";
import { ApiError } from "../utils/ApiError.js";
import { findByIds, updateDocument } from "../db/engine/index.js";
import { mapPage, paginate, type Page } from "../utils/paginate.js";
import {
  toPlaylistDetail,
  toPlaylistJson,
  toPlaylistSummary,
  type PlaylistDetail,
  type PlaylistJson,
  type PlaylistSummary,
} from "../presenters/playlist.presenter.js";
import { toVideoCard, type VideoCard } from "../presenters/video.presenter.js";
import { publicUsersById } from "./publicUsers.service.js";
import { isVisibleTo, VISIBILITY_FIELDS } from "./videoVisibility.service.js";

/**
 * A playlist shows each video by the visibility rule, as its owner sees it
 * when the owner is looking and as anyone sees it otherwise: a viewer's own
 * draft in someone else's playlist does not show there.
 */
function isVisibleInPlaylist(
  video: Parameters<typeof isVisibleTo>[0],
  playlistOwner: Types.ObjectId,
  viewerId: Types.ObjectId | undefined
): boolean {
  const asOwner = viewerId !== undefined && playlistOwner.equals(viewerId);
  return isVisibleTo(video, asOwner ? playlistOwner : undefined);
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

/** Every write to a playlist document: one update operator each. */
const writePlaylist = (
  playlistId: Types.ObjectId,
  update: UpdateQuery<PlaylistFields>
) => updateDocument(Playlist, playlistId, update);

/** Takes a deleted video out of every playlist. */
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
  const video = await Video.findById(videoId, VISIBILITY_FIELDS).lean().exec();
  // Someone else's unpublished video does not exist for this viewer.
  if (!video || !isVisibleTo(video, playlist.owner)) {
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

/** The playlist with the videos this viewer may see, in playlist order. */
export async function playlistDetail(
  playlist: PlaylistDocument,
  viewerId: Types.ObjectId | undefined
): Promise<PlaylistDetail> {
  const [owner, videos] = await Promise.all([
    User.findById(playlist.owner, PUBLIC_USER_FIELDS).lean(),
    findByIds(Video, playlist.videos, {}),
  ]);
  if (!owner) throw new ApiError(404, "Playlist not found");
  const videoOwners = await publicUsersById(videos.map((video) => video.owner));
  const byId = new Map(videos.map((video) => [String(video._id), video]));
  const shown: VideoCard[] = [];
  for (const id of playlist.videos) {
    const video = byId.get(String(id));
    const videoOwner = video && videoOwners.get(String(video.owner));
    // Deleted videos (and videos of deleted users) are skipped.
    if (!video || !videoOwner) continue;
    if (!isVisibleInPlaylist(video, playlist.owner, viewerId)) continue;
    shown.push(toVideoCard(video, videoOwner));
  }
  return toPlaylistDetail(playlist.toObject(), toPublicUser(owner), shown);
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
  const page = await paginate(
    Playlist,
    { owner: user._id },
    { createdAt: -1 },
    pagination
  );
  const videoIds = page.docs.flatMap((playlist) => playlist.videos);
  const videos = await findByIds(Video, videoIds, VISIBILITY_FIELDS);
  const videoById = new Map(videos.map((video) => [String(video._id), video]));
  const owner = toPublicUser(user);
  return mapPage(page, (docs) =>
    docs.map((playlist) =>
      toPlaylistSummary(
        playlist,
        owner,
        playlist.videos.filter((id) => {
          const video = videoById.get(String(id));
          return (
            video !== undefined &&
            isVisibleInPlaylist(video, user._id, viewerId)
          );
        }).length
      )
    )
  );
}
