import { describe, expect, it, vi } from "vitest";
import { onBackgroundCommands, type DbCommand } from "../src/db/commandLog.js";
import { JOBS, startJobs, stopJobs } from "../src/jobs/index.js";
import { counterRepair } from "../src/jobs/counterRepair.job.js";
import { Instance } from "../src/models/instance.model.js";
import { Video } from "../src/models/video.model.js";
import { queueWatch } from "../src/services/watchLog.service.js";
import { createUser, createVideo } from "./helpers/factories.js";
import { createComment, createLike } from "./helpers/content.factories.js";

const activeTimers = () =>
  process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

describe("background jobs", () => {
  it("lists each job once, with a name and a schedule", () => {
    const names = JOBS.map((job) => job.name);
    expect(new Set(names).size).toBe(names.length);
    for (const job of JOBS) expect(job.schedule.length).toBeGreaterThan(0);
  });

  it("leaves no timer and sends no database command once every job is stopped, and writes the queued watches on the way out", async () => {
    const owner = await createUser();
    const viewer = await createUser();
    const video = await createVideo(owner);
    const timersBefore = activeTimers();

    await startJobs();
    queueWatch(video._id, viewer.id);
    await stopJobs();

    expect((await Video.findById(video._id).lean())?.views).toBe(1);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
    const after: DbCommand[] = [];
    const stopListening = onBackgroundCommands((command) =>
      after.push(command)
    );
    try {
      // Longer than any job's shortest period (the stale-counter retry, 1 s).
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      stopListening();
    }
    expect(after).toEqual([]);
  });

  it("recounts every video's counters once an instance stopped its heartbeat without stopping cleanly", async () => {
    const owner = await createUser();
    const fan = await createUser();
    const video = await createVideo(owner);
    await createLike(fan, "video", video);
    await createComment(fan, video);
    // What a crash between a record and its counter leaves.
    await Video.updateOne(
      { _id: video._id },
      { $set: { likesCount: 7, commentsCount: 0 } }
    );
    const dead = await Instance.create({
      heartbeatAt: new Date(Date.now() - 10 * 60_000),
    });

    await counterRepair.start();
    try {
      await vi.waitFor(
        async () =>
          expect(await Video.findById(video._id).lean()).toMatchObject({
            likesCount: 1,
            commentsCount: 1,
          }),
        { timeout: 5_000, interval: 100 }
      );
      expect(await Instance.exists({ _id: dead._id })).toBeNull();
    } finally {
      await counterRepair.stop();
    }
    // A clean stop leaves no record that would call for another recount.
    expect(await Instance.countDocuments()).toBe(0);
  });
});
