import type { Types } from "mongoose";
import type { VideoFields } from "../models/video.model.js";

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

/** A stored video as responses show it: media as URL strings, no storage ids. */
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
