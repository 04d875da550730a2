import { readdir } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { config } from "../../src/config.js";
import { Comment } from "../../src/models/comment.model.js";
import { Like } from "../../src/models/like.model.js";
import { User } from "../../src/models/user.model.js";
import { Video } from "../../src/models/video.model.js";
import { View } from "../../src/models/view.model.js";
import { WatchEntry } from "../../src/models/watchEntry.model.js";
import { createUsers, createVideo } from "../helpers/factories.js";
import { storedFiles } from "../helpers/media.js";
import { signInOn } from "../helpers/remote-user.js";
import {
  startServer,
  stopServer,
  type RunningServer,
} from "../helpers/server-process.js";
import {
  startTcpProxy,
  targetOf,
  uriThrough,
  type TcpProxy,
} from "../helpers/tcp-proxy.js";
import {
  avatarForm,
  measure,
  publishForm,
  startTraffic,
  type Outcome,
  type TrafficStep,
} from "../helpers/traffic.js";

const OUTAGE_MS = 4_000;
const ANSWER_WITHIN_MS = 2_000;

let proxy: TcpProxy;
let server: RunningServer;
let outcomes: Outcome[] = [];
const healthDuringOutage: Outcome[] = [];
let healthAfter: Outcome | undefined;
const timeline = { downAt: 0, upAt: 0, recoveredAt: 0 };
let pendingWatch = { video: "", viewer: "" };
let mismatchesAfterRecovery: string[] = [];
let publisherId = "";
let stepKinds = 0;

const byPhase = (phase: "outage" | "after") =>
  outcomes.filter((outcome) =>
    phase === "outage"
      ? outcome.startedAt >= timeline.downAt &&
        outcome.startedAt < timeline.upAt
      : outcome.startedAt >= timeline.recoveredAt
  );

const describeOutcome = ({
  name,
  status,
  body,
  errorCode,
  startedAt,
}: Outcome) =>
  `${name} (started ${startedAt - timeline.downAt} ms after the cut): ${status || errorCode} ${JSON.stringify(body)}`;

/** Counters that disagree with the records they count, one line each. */
async function counterMismatches(): Promise<string[]> {
  const videos = await Video.find({}).lean();
  const mismatches: string[] = [];
  for (const video of videos) {
    const counts = {
      likesCount: await Like.countDocuments({
        targetType: "video",
        target: video._id,
      }),
      commentsCount: await Comment.countDocuments({ video: video._id }),
      views: await View.countDocuments({ video: video._id }),
    };
    for (const [field, count] of Object.entries(counts)) {
      const stored = video[field as keyof typeof counts];
      if (stored !== count)
        mismatches.push(
          `${String(video._id)} ${field}=${stored}, ${count} records`
        );
    }
  }
  return mismatches;
}

beforeAll(async () => {
  const [publisher, fan, viewer, lateViewer] = await createUsers(4);
  const videos = await Promise.all([1, 2, 3].map(() => createVideo(publisher)));
  const videoIds = videos.map((video) => String(video._id));
  publisherId = publisher.id;
  proxy = await startTcpProxy(targetOf(inject("mongoUri")));
  server = await startServer({
    // Not development, where a 5xx carries its stack for the developer.
    NODE_ENV: "test",
    MONGODB_URI: uriThrough(inject("mongoUri"), proxy),
    DB_NAME: config.db.name,
    UPLOAD_DIR: config.uploads.storageDir,
    UPLOAD_TEMP_DIR: config.uploads.tempDir,
    WATCH_FLUSH_INTERVAL_MS: "300",
  });
  const [publisherAuth, fanAuth, viewerAuth, lateViewerAuth] =
    await Promise.all(
      [publisher, fan, viewer, lateViewer].map((user) =>
        signInOn(server.url, user)
      )
    );
  const pick = (turn: number) => videoIds[turn % videoIds.length] as string;
  let turn = 0;
  const steps: TrafficStep[] = [
    {
      name: "list videos",
      send: (url) => fetch(`${url}/api/v1/videos?limit=5`),
    },
    {
      name: "watch a video",
      send: (url) =>
        fetch(`${url}/api/v1/videos/${pick(turn++)}`, {
          headers: { Authorization: viewerAuth },
        }),
    },
    {
      name: "toggle a like",
      send: (url) =>
        fetch(`${url}/api/v1/likes/toggle/v/${pick(turn++)}`, {
          method: "POST",
          headers: { Authorization: fanAuth },
        }),
    },
    {
      name: "comment",
      send: (url) =>
        fetch(`${url}/api/v1/comments/${pick(turn++)}`, {
          method: "POST",
          headers: {
            Authorization: fanAuth,
            "Content-Type": "application/json",
          },
          body: JSON.stringify({ content: `comment ${turn++}` }),
        }),
    },
    {
      name: "update the avatar",
      send: (url) =>
        fetch(`${url}/api/v1/users/avatar`, {
          method: "PATCH",
          headers: { Authorization: publisherAuth },
          body: avatarForm(),
        }),
    },
    {
      name: "publish a video",
      send: (url) =>
        fetch(`${url}/api/v1/videos`, {
          method: "POST",
          headers: { Authorization: publisherAuth },
          body: publishForm({
            title: `during traffic ${turn++}`,
            description: "fault test",
          }),
        }),
    },
  ];
  const health: TrafficStep = {
    name: "healthcheck",
    send: (url) => fetch(`${url}/api/v1/healthcheck`),
  };

  stepKinds = steps.length;
  const traffic = startTraffic(server.url, steps, steps.length);
  await sleep(1_500);

  // A watch whose view and history wait in the queue (300 ms) when the
  // database goes: only the retry after the outage can write them.
  const watched = await fetch(`${server.url}/api/v1/videos/${videoIds[0]}`, {
    headers: { Authorization: lateViewerAuth },
  });
  expect(watched.status).toBe(200);
  pendingWatch = { video: videoIds[0] as string, viewer: lateViewer.id };
  timeline.downAt = Date.now();
  proxy.down();

  await sleep(500);
  while (Date.now() < timeline.downAt + OUTAGE_MS) {
    healthDuringOutage.push(await measure(health, server.url));
    await sleep(200);
  }
  // Stopped before the database returns, so no later write can recount
  // (and so hide) a counter the outage left behind.
  const duringOutage = await traffic.stop();
  timeline.upAt = Date.now();
  proxy.up();

  await vi.waitFor(
    async () => {
      healthAfter = await measure(health, server.url);
      expect(healthAfter.status).toBe(200);
    },
    { timeout: 20_000, interval: 100 }
  );
  timeline.recoveredAt = Date.now();
  // Views wait for their batch: give the background writes a few seconds.
  const settleBy = Date.now() + 5_000;
  do {
    mismatchesAfterRecovery = await counterMismatches();
    if (mismatchesAfterRecovery.length > 0) await sleep(200);
  } while (mismatchesAfterRecovery.length > 0 && Date.now() < settleBy);

  const afterTraffic = startTraffic(server.url, steps, steps.length);
  await sleep(1_500);
  outcomes = [...duringOutage, ...(await afterTraffic.stop())];
}, 90_000);

afterAll(async () => {
  await stopServer(server);
  await proxy?.close();
});

describe("F1: the database goes away under traffic and comes back", () => {
  it("answers every request during the outage with a 503 JSON envelope and Retry-After within 2 s", () => {
    const during = byPhase("outage");
    expect(during.length).toBeGreaterThan(10);
    for (const outcome of during) {
      expect(outcome.status, describeOutcome(outcome)).toBe(503);
      expect(outcome.contentType).toMatch(/^application\/json/);
      expect(outcome.body).toMatchObject({
        statusCode: 503,
        success: false,
        data: null,
      });
      expect(outcome.body).not.toHaveProperty("stack");
      expect(outcome.retryAfter).toMatch(/^\d+$/);
    }
    // The same outage names every kind of request, reads and writes.
    expect(new Set(during.map(({ name }) => name)).size).toBeGreaterThan(3);
  });

  it("never hangs and never answers 500, whatever the phase", () => {
    for (const outcome of outcomes) {
      expect(
        outcome.endedAt - outcome.startedAt,
        describeOutcome(outcome)
      ).toBeLessThan(ANSWER_WITHIN_MS);
      expect([200, 201, 503], describeOutcome(outcome)).toContain(
        outcome.status
      );
    }
  });

  it("reports the database down on the healthcheck during the outage", () => {
    expect(healthDuringOutage.length).toBeGreaterThan(0);
    for (const outcome of healthDuringOutage) {
      expect(outcome.status).toBe(503);
      expect(outcome.endedAt - outcome.startedAt).toBeLessThan(1_000);
      expect(outcome.body).toMatchObject({
        data: { status: "error", db: "down" },
      });
    }
  });

  it("serves every kind of request again once the database is back, in the same process", () => {
    expect(healthAfter?.body).toMatchObject({ data: { db: "up" } });
    // Within the driver's heartbeat bounds, even when a heartbeat got stuck
    // on a cut connection and the client had to be replaced (src/db/heartbeatWatchdog.ts).
    expect(timeline.recoveredAt - timeline.upAt).toBeLessThan(10_000);
    expect(server.child.exitCode).toBeNull();
    const after = byPhase("after");
    expect(new Set(after.map(({ name }) => name)).size).toBe(stepKinds);
    for (const outcome of after)
      expect([200, 201], describeOutcome(outcome)).toContain(outcome.status);
  });

  it("writes a view and history entry that were waiting when the database went, once it is back", async () => {
    await vi.waitFor(
      async () => {
        expect(
          await View.countDocuments({
            video: pendingWatch.video,
            viewer: pendingWatch.viewer,
          })
        ).toBe(1);
        expect(
          await WatchEntry.countDocuments({
            video: pendingWatch.video,
            user: pendingWatch.viewer,
          })
        ).toBe(1);
      },
      { timeout: 5_000, interval: 100 }
    );
    expect(server.output()).toContain(
      "writing views and history failed; retrying"
    );
  });

  it("leaves no write half-applied: counters match their records, every published video has its files and no stored file lacks a record", async () => {
    expect(mismatchesAfterRecovery).toEqual([]);
    // A publish cut off mid-write keeps its files until the database says
    // whether its record exists (checked every second).
    await vi.waitFor(
      async () => {
        const published = await Video.find({
          description: "fault test",
        }).lean();
        expect(published.length).toBeGreaterThan(0);
        const avatar = (await User.findById(publisherId).lean())?.avatar;
        const referenced = published
          .flatMap((video) => [
            video.videoFile.publicId,
            video.thumbnail.publicId,
          ])
          // The factory's placeholder avatar is no stored file.
          .concat(
            avatar && /^image\/[a-f0-9]{32}\./.test(avatar.publicId)
              ? [avatar.publicId]
              : []
          )
          .sort();
        expect(await storedFiles()).toEqual(referenced);
      },
      { timeout: 5_000, interval: 200 }
    );
    expect(await readdir(config.uploads.tempDir).catch(() => [])).toEqual([]);
  });
});
