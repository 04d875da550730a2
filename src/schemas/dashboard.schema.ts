import { z } from "zod";
import { paginated, paginationQuery } from "./common.schema.js";
import { apiArea } from "./openapi.js";
import { dashboardVideoSchema } from "./videoSummary.schema.js";

const endpoint = apiArea("/dashboard", "Dashboard");

export const channelStatsSchema = z
  .object({
    totalVideos: z.number().int().openapi({ description: "Published or not" }),
    totalViews: z
      .number()
      .int()
      .openapi({ description: "Sum over the videos" }),
    totalSubscribers: z.number().int(),
    totalLikes: z
      .number()
      .int()
      .openapi({ description: "Likes of the videos" }),
    totalComments: z
      .number()
      .int()
      .openapi({ description: "Comments on the videos" }),
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
