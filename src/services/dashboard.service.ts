import type { Types } from "mongoose";
import { Comment } from "../models/comment.model.js";
import { Like } from "../models/like.model.js";
import { Subscription } from "../models/subscription.model.js";
import { Video, type VideoFields } from "../models/video.model.js";
import type { Pagination } from "../schemas/common.schema.js";
import { mapPage, paginate, type Page } from "../utils/paginate.js";
import { countByField } from "./counts.service.js";
import {
  toDashboardVideo,
  type ChannelStats,
  type DashboardVideo,
} from "../presenters/dashboard.presenter.js";
import { visibleVideosFilter } from "./videoVisibility.service.js";

/** Totals counted from the records themselves (no stored counters): five queries. */
export async function channelStats(
  channelId: Types.ObjectId
): Promise<ChannelStats> {
  const ownVideos = visibleVideosFilter(channelId, channelId);
  const [videoIds, viewRows, totalSubscribers] = await Promise.all([
    Video.distinct("_id", ownVideos).exec() as Promise<Types.ObjectId[]>,
    Video.aggregate<{ totalViews: number }>([
      { $match: ownVideos },
      { $group: { _id: null, totalViews: { $sum: "$views" } } },
    ]),
    Subscription.countDocuments({ channel: channelId }),
  ]);
  const [totalLikes, totalComments] =
    videoIds.length === 0
      ? [0, 0]
      : await Promise.all([
          Like.countDocuments({
            targetType: "video",
            target: { $in: videoIds },
          }),
          Comment.countDocuments({ video: { $in: videoIds } }),
        ]);
  return {
    totalVideos: videoIds.length,
    totalViews: viewRows[0]?.totalViews ?? 0,
    totalSubscribers,
    totalLikes,
    totalComments,
  };
}

type VideoRecord = VideoFields & { _id: Types.ObjectId };

/** The caller's videos with their counts: one count query per kind for the page. */
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
  const ids = page.docs.map((video) => video._id);
  const [likes, comments] = await Promise.all([
    countByField(Like, "target", ids, { targetType: "video" }),
    countByField(Comment, "video", ids),
  ]);
  return mapPage(page, (docs) =>
    docs.map((video) =>
      toDashboardVideo(video, {
        likesCount: likes.get(String(video._id)) ?? 0,
        commentsCount: comments.get(String(video._id)) ?? 0,
      })
    )
  );
}
