import { health } from "../services/health.service.js";
import { ApiResponse } from "../utils/ApiResponse.js";
import { asyncHandler } from "../utils/asyncHandler.js";

export const healthcheck = asyncHandler(async (_req, res) => {
  const state = await health();
  if (state.db === "up") {
    res.status(200).json(new ApiResponse(200, state, "OK"));
    return;
  }
  res
    .status(503)
    .set("Retry-After", "5")
    .json(new ApiResponse(503, state, "Database unavailable"));
});
