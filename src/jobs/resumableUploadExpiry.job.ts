import { config } from "../config.js";
import { outsideRequests } from "../db/commandLog.js";
import { sweepExpiredUploads } from "../services/resumableUpload.service.js";
import { logger } from "../utils/logger.js";
import type { Job } from "./job.js";

const { expiryMs, sweepIntervalMs } = config.uploads.resumable;

let running = false;
let timer: NodeJS.Timeout | undefined;
let round: Promise<void> = Promise.resolve();

const runRound = () =>
  outsideRequests(sweepExpiredUploads).then(
    (removed) => {
      if (removed > 0) logger.info({ removed }, "deleted expired uploads");
    },
    (error: unknown) =>
      logger.warn({ err: error }, "expired uploads sweep failed; retrying")
  );

function scheduleNext(): void {
  if (!running) return;
  timer = outsideRequests(() =>
    setTimeout(() => {
      round = runRound().finally(scheduleNext);
    }, sweepIntervalMs)
  );
  timer.unref();
}

/**
 * Resumable uploads not published within RESUMABLE_UPLOAD_EXPIRY_MS of
 * their creation (abandoned half-way, or finished and never used) are
 * deleted, bytes and record.
 */
export const resumableUploadExpiry: Job = {
  name: "resumable upload expiry",
  schedule: `at start-up and every ${sweepIntervalMs} ms: uploads older than ${expiryMs} ms`,
  start() {
    running = true;
    // Not awaited: a large folder must not hold up the start.
    round = runRound().finally(scheduleNext);
    return Promise.resolve();
  },
  async stop() {
    running = false;
    clearTimeout(timer);
    timer = undefined;
    await round;
  },
};
