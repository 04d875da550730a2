import { config } from "../config.js";
import {
  flushWatches,
  stopWatchFlushes,
} from "../services/watchLog.service.js";
import type { Job } from "./job.js";

/** Writes the queued views and history entries in batches. */
export const watchLogFlush: Job = {
  name: "watch-log flush",
  schedule: `every ${config.watches.flushIntervalMs} ms while watches wait, at once when ${config.watches.flushBatch} do`,
  start: () => Promise.resolve(),
  async stop() {
    stopWatchFlushes();
    await flushWatches();
  },
};
