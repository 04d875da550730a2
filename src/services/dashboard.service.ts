import type { Types } from "mongoose";
import { Subscription } from "../models/subscription.model.js";
import { Video, type VideoFields } from "../models/video.model.js";
import type { Pagination } from "../schemas/common.schema.js";
import { mapPage, paginate, type Page } from "../utils/paginate.js";
import {
  toDashboardVideo,
  type ChannelStats,
  type DashboardVideo,
} from "../presenters/dashboard.presenter.js";
import { visibleVideosFilter } from "./videoVisibility.service.js";

/**
 * The channel's totals in two queries, both by an index: its videos'
 * counters (views, likesCount, commentsCount are kept on each video) summed
 * here, and its subscribers counted. Summed in code because FerretDB v1
 * computes only the first accumulator of a $group (the others answer 0).
 */
export async function channelStats(
  channelId: Types.ObjectId
): Promise<ChannelStats> {
  const [counters, totalSubscribers] = await Promise.all([
    Video.find(visibleVideosFilter(channelId, channelId), {
      _id: 0,
      views: 1,
      likesCount: 1,
      commentsCount: 1,
    }).lean(),
    Subscription.countDocuments({ channel: channelId }),
  ]);
  const sum = (field: "views" | "likesCount" | "commentsCount") =>
    counters.reduce((total, video) => total + (video[field] ?? 0), 0);
  return {
    totalVideos: counters.length,
    totalViews: sum("views"),
    totalSubscribers,
    totalLikes: sum("likesCount"),
    totalComments: sum("commentsCount"),
  };
}

type VideoRecord = VideoFields & { _id: Types.ObjectId };

/** The caller's videos with the counters they keep: one query a page. */
export async function channelVideos(
  channelId: Types.ObjectId,
  pagination: Pagination
): Promise<Page<DashboardVideo>> {
  const page = await paginate<VideoFields, VideoRecord>(
    Video,
    [{ $match: visibleVideosFilter(channelId, channelId) }],
    { createdAt: -1 },
    pagination
  );
  return mapPage(page, (docs) =>
    docs.map((video) =>
      toDashboardVideo(video, {
        likesCount: video.likesCount,
        commentsCount: video.commentsCount,
      })
    )
  );
}
