import { Types } from "mongoose";
import { outsideRequests } from "../db/commandLog.js";
import { Instance } from "../models/instance.model.js";
import { Video } from "../models/video.model.js";
import {
  recountStaleCounters,
  repairCounter,
  stopStaleRetries,
} from "../services/videoCounters.service.js";
import { logger } from "../utils/logger.js";
import type { Job } from "./job.js";

const HEARTBEAT_MS = 30_000;
// Three missed heartbeats: the instance is gone, not slow.
const DEAD_AFTER_MS = 3 * HEARTBEAT_MS;
const BATCH = 100;

const self = new Types.ObjectId();
let running = false;
let timer: NodeJS.Timeout | undefined;
let round: Promise<void> = Promise.resolve();

/**
 * Counts every video's counters again, a batch at a time in `_id` order:
 * what an instance that died between a record and its counter left behind.
 */
async function recountEveryVideo(): Promise<number | undefined> {
  let after: Types.ObjectId | undefined;
  let videos = 0;
  for (;;) {
    if (!running) return undefined;
    const batch = await Video.find(after ? { _id: { $gt: after } } : {}, {
      _id: 1,
    })
      .sort({ _id: 1 })
      .limit(BATCH)
      .lean();
    for (const { _id } of batch) {
      await repairCounter(_id, "views");
      await repairCounter(_id, "likesCount");
      await repairCounter(_id, "commentsCount");
    }
    videos += batch.length;
    const last = batch.at(-1);
    if (!last || batch.length < BATCH) return videos;
    after = last._id;
  }
}

/**
 * Keeps this instance's heartbeat, and takes over the repair of any instance
 * whose heartbeat stopped: the one that deletes its record does the recount,
 * so several live instances never do it twice.
 */
async function heartbeatAndRepair(): Promise<void> {
  const now = Date.now();
  await Instance.updateOne(
    { _id: self },
    { $set: { heartbeatAt: new Date(now) } },
    { upsert: true }
  );
  const dead = await Instance.find(
    { heartbeatAt: { $lt: new Date(now - DEAD_AFTER_MS) } },
    { _id: 1, heartbeatAt: 1 }
  ).lean();
  for (const instance of dead) {
    const claimed = await Instance.deleteOne(instance);
    if (claimed.deletedCount !== 1) continue;
    const videos = await recountEveryVideo();
    if (videos === undefined) {
      // Stopped half-way: left for the next instance to start.
      await Instance.create(instance);
      return;
    }
    logger.info(
      { instance: String(instance._id), videos },
      "recounted the counters an instance that died may have left behind"
    );
  }
}

function scheduleNext(): void {
  if (!running) return;
  timer = outsideRequests(() =>
    setTimeout(() => {
      round = runRound().finally(scheduleNext);
    }, HEARTBEAT_MS)
  );
  timer.unref();
}

const runRound = () =>
  outsideRequests(heartbeatAndRepair).catch((error: unknown) =>
    logger.warn({ err: error }, "counter repair failed; retrying")
  );

/**
 * Counters behind their records are counted again: those this instance
 * knows of (a database outage in the middle of a like) every second until it
 * works, and every video's once an instance died without stopping.
 */
export const counterRepair: Job = {
  name: "counter repair",
  schedule: `stale counters every second until stored; every video's after an instance stops its heartbeat (every ${HEARTBEAT_MS} ms) for ${DEAD_AFTER_MS} ms`,
  start() {
    running = true;
    // Not awaited: a recount after a crash must not hold up the start.
    round = runRound().finally(scheduleNext);
    return Promise.resolve();
  },
  async stop() {
    running = false;
    clearTimeout(timer);
    timer = undefined;
    await round;
    stopStaleRetries();
    await recountStaleCounters();
    // A clean stop: no other instance needs to repair after this one.
    await Instance.deleteOne({ _id: self }).catch(() => undefined);
  },
};
