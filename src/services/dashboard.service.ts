import type { Types } from "mongoose";
import { sumFields } from "../db/engine/index.js";
import { Subscription } from "../models/subscription.model.js";
import { Video } from "../models/video.model.js";
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
 * counters (views, likesCount, commentsCount are kept on each video) summed,
 * and its subscribers counted.
 */
export async function channelStats(
  channelId: Types.ObjectId
): Promise<ChannelStats> {
  const [totals, totalSubscribers] = await Promise.all([
    sumFields(Video, visibleVideosFilter(channelId, channelId), [
      "views",
      "likesCount",
      "commentsCount",
    ]),
    Subscription.countDocuments({ channel: channelId }),
  ]);
  return {
    totalVideos: totals.count,
    totalViews: totals.views,
    totalSubscribers,
    totalLikes: totals.likesCount,
    totalComments: totals.commentsCount,
  };
}

/** The caller's videos with the counters they keep: one query a page. */
export async function channelVideos(
  channelId: Types.ObjectId,
  pagination: Pagination
): Promise<Page<DashboardVideo>> {
  const page = await paginate(
    Video,
    visibleVideosFilter(channelId, channelId),
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
