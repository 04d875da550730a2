import { backfillVideoCounters } from "../services/videoCounters.service.js";
import { logger } from "../utils/logger.js";
import type { Job } from "./job.js";

/** Videos of an older database get their like and comment counters, once. */
export const counterBackfill: Job = {
  name: "counter backfill",
  schedule: "once, at start-up",
  async start() {
    const videos = await backfillVideoCounters();
    if (videos > 0) logger.info({ videos }, "stored like and comment counters");
  },
  stop: () => Promise.resolve(),
};
