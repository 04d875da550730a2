import type { Types } from "mongoose";
import type { VideoFields } from "../models/video.model.js";
import type { PublicUser } from "./user.presenter.js";

/** A video as a document or as a plain query result. */
export type VideoRecord = Pick<
  VideoFields,
  | "videoFile"
  | "thumbnail"
  | "title"
  | "description"
  | "duration"
  | "views"
  | "isPublished"
  | "createdAt"
> & { _id: Types.ObjectId | string };

/** A video's own fields: media as URL strings, never the storage ids. */
export interface VideoSummary {
  _id: string;
  videoFile: string;
  thumbnail: string;
  title: string;
  description: string;
  duration: number;
  views: number;
  isPublished: boolean;
  createdAt: Date;
}

/** A video in a list someone else made (playlist, history): with its owner. */
export interface VideoCard extends VideoSummary {
  owner: PublicUser;
}

/** One video, as lists of videos and edits answer it. */
export interface VideoDetail extends VideoSummary {
  owner: PublicUser | string;
  updatedAt: Date;
}

/** The video being watched: with its likes. */
export interface WatchedVideo extends VideoDetail {
  likesCount: number;
  isLiked: boolean;
}

export function toVideoSummary(video: VideoRecord): VideoSummary {
  return {
    _id: String(video._id),
    videoFile: video.videoFile.url,
    thumbnail: video.thumbnail.url,
    title: video.title,
    description: video.description,
    duration: video.duration,
    views: video.views,
    isPublished: video.isPublished,
    createdAt: video.createdAt,
  };
}

export const toVideoCard = (
  video: VideoRecord,
  owner: PublicUser
): VideoCard => ({ ...toVideoSummary(video), owner });

/** The owner as a public profile when known, else as an id. */
export const toVideoDetail = (
  video: VideoRecord & Pick<VideoFields, "owner" | "updatedAt">,
  owner: PublicUser | undefined
): VideoDetail => ({
  ...toVideoSummary(video),
  owner: owner ?? String(video.owner),
  updatedAt: video.updatedAt,
});

export const toWatchedVideo = (
  video: VideoDetail,
  likes: { likesCount: number; isLiked: boolean }
): WatchedVideo => ({ ...video, ...likes });

/** A video in the list of those a user liked. */
export interface LikedVideo extends VideoCard {
  likedAt: Date;
}

export const toLikedVideo = (
  video: VideoRecord,
  owner: PublicUser,
  likedAt: Date
): LikedVideo => ({ ...toVideoCard(video, owner), likedAt });
