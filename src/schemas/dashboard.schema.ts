import { z } from "zod";
import { count, paginated, paginationQuery } from "./common.schema.js";
import { apiArea } from "./openapi.js";
import { dashboardVideoSchema } from "./videoSummary.schema.js";

const endpoint = apiArea("/dashboard", "Dashboard");

export const channelStatsSchema = z
  .object({
    totalVideos: count(24, "Published or not"),
    totalViews: count(30720, "Sum over the videos"),
    totalSubscribers: count(3400),
    totalLikes: count(1008, "Likes of the videos"),
    totalComments: count(168, "Comments on the videos"),
  })
  .openapi("ChannelStats");

export const channelStats = endpoint({
  method: "get",
  path: "/stats",
  summary: "Totals of the caller's channel",
  auth: "required",
  success: { status: 200, description: "The totals", data: channelStatsSchema },
});

export const channelVideos = endpoint({
  method: "get",
  path: "/videos",
  summary: "The caller's videos, published or not, newest first",
  auth: "required",
  request: { query: paginationQuery },
  success: {
    status: 200,
    description: "A page of videos with their counts",
    data: paginated(dashboardVideoSchema),
  },
});
