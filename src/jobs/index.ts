import { logger } from "../utils/logger.js";
import { counterBackfill } from "./counterBackfill.job.js";
import { counterRepair } from "./counterRepair.job.js";
import type { Job } from "./job.js";
import { resumableUploadExpiry } from "./resumableUploadExpiry.job.js";
import { sessionExpiry } from "./sessionExpiry.job.js";
import { watchLogFlush } from "./watchLog.job.js";

/**
 * Everything the API runs outside requests, in the order it starts; it stops
 * in the reverse order (the watch log's last batch before the counters'
 * last recount).
 */
export const JOBS: readonly Job[] = [
  sessionExpiry,
  counterBackfill,
  counterRepair,
  watchLogFlush,
  resumableUploadExpiry,
];

let started: Job[] = [];

export async function startJobs(jobs: readonly Job[] = JOBS): Promise<void> {
  for (const job of jobs) {
    await job.start();
    started.push(job);
    logger.debug({ job: job.name, schedule: job.schedule }, "job started");
  }
}

/** Stops every started job; one that fails to stop does not keep the others running. */
export async function stopJobs(): Promise<void> {
  const running = started.reverse();
  started = [];
  for (const job of running) {
    await job
      .stop()
      .catch((error: unknown) =>
        logger.warn({ err: error, job: job.name }, "stopping a job failed")
      );
  }
}
