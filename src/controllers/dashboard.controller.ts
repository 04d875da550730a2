import { requireViewer } from "../middlewares/auth.middleware.js";
import { inputOf } from "../middlewares/validate.middleware.js";
import * as schema from "../schemas/dashboard.schema.js";
import * as dashboard from "../services/dashboard.service.js";
import { ApiResponse } from "../utils/ApiResponse.js";
import { asyncHandler } from "../utils/asyncHandler.js";

export const channelStats = asyncHandler(async (_req, res) => {
  const stats = await dashboard.channelStats(requireViewer(res).user._id);
  res.json(new ApiResponse(200, stats, "Channel stats fetched"));
});

export const channelVideos = asyncHandler(async (_req, res) => {
  const { query } = inputOf(res, schema.channelVideos);
  const page = await dashboard.channelVideos(
    requireViewer(res).user._id,
    query
  );
  res.json(new ApiResponse(200, page, "Channel videos fetched"));
});
