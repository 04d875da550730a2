import type { Types } from "mongoose";
import type { PlaylistFields } from "../models/playlist.model.js";
import type { PublicUser } from "./user.presenter.js";
import type { VideoCard } from "./video.presenter.js";

type PlaylistRecord = PlaylistFields & { _id: Types.ObjectId };

interface PlaylistBase {
  _id: string;
  name: string;
  description: string;
  owner: PublicUser;
  createdAt: Date;
  updatedAt: Date;
}

/** A playlist as writes answer it: the video ids in order. */
export interface PlaylistJson extends PlaylistBase {
  videos: string[];
}

/** A playlist opened: the videos the viewer may see, in order. */
export interface PlaylistDetail extends PlaylistBase {
  videos: VideoCard[];
}

/** A playlist in a user's list: how many videos the viewer would see in it. */
export interface PlaylistSummary extends PlaylistBase {
  videosCount: number;
}

function toPlaylistBase(
  playlist: PlaylistRecord,
  owner: PublicUser
): PlaylistBase {
  return {
    _id: String(playlist._id),
    name: playlist.name,
    description: playlist.description,
    owner,
    createdAt: playlist.createdAt,
    updatedAt: playlist.updatedAt,
  };
}

export const toPlaylistJson = (
  playlist: PlaylistRecord,
  owner: PublicUser
): PlaylistJson => ({
  ...toPlaylistBase(playlist, owner),
  videos: playlist.videos.map(String),
});

export const toPlaylistDetail = (
  playlist: PlaylistRecord,
  owner: PublicUser,
  videos: VideoCard[]
): PlaylistDetail => ({ ...toPlaylistBase(playlist, owner), videos });

export const toPlaylistSummary = (
  playlist: PlaylistRecord,
  owner: PublicUser,
  videosCount: number
): PlaylistSummary => ({ ...toPlaylistBase(playlist, owner), videosCount });
