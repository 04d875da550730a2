import { isDatabaseUp } from "../db/index.js";
import { ApiResponse } from "../utils/ApiResponse.js";
import { asyncHandler } from "../utils/asyncHandler.js";

// The whole answer must come within a second, ping included.
const PING_TIMEOUT_MS = 800;

export const healthcheck = asyncHandler(async (_req, res) => {
  const uptime = Math.round(process.uptime());
  if (await isDatabaseUp(PING_TIMEOUT_MS)) {
    res
      .status(200)
      .json(new ApiResponse(200, { status: "ok", db: "up", uptime }, "OK"));
    return;
  }
  res
    .status(503)
    .set("Retry-After", "5")
    .json(
      new ApiResponse(
        503,
        { status: "error", db: "down", uptime },
        "Database unavailable"
      )
    );
});
