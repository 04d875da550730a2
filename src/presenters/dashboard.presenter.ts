import type { VideoFields } from "../models/video.model.js";
import {
  toVideoSummary,
  type VideoRecord,
  type VideoSummary,
} from "./video.presenter.js";

export interface ChannelStats {
  totalVideos: number;
  totalViews: number;
  totalSubscribers: number;
  totalLikes: number;
  totalComments: number;
}

/** One of the caller's own videos on their dashboard, with its counts. */
export interface DashboardVideo extends VideoSummary {
  owner: string;
  updatedAt: Date;
  likesCount: number;
  commentsCount: number;
}

export const toDashboardVideo = (
  video: VideoRecord & Pick<VideoFields, "owner" | "updatedAt">,
  counts: { likesCount: number; commentsCount: number }
): DashboardVideo => ({
  ...toVideoSummary(video),
  owner: String(video.owner),
  updatedAt: video.updatedAt,
  ...counts,
});
