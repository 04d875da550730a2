import { afterAll, describe, expect, it, vi } from "vitest";
import { startRedis, type RunningRedis } from "./helpers/redis-server.js";

// Set before the app is imported: the locks and limits pick Redis up once.
let redis: RunningRedis = await startRedis();
Object.assign(process.env, {
  REDIS_URL: redis.url,
  WATCH_FLUSH_INTERVAL_MS: "100",
});

const { api, API, expectErrorEnvelope } = await import("./helpers/http.js");
const { createUser, createUsers, createVideo } =
  await import("./helpers/factories.js");
const { closeRedis } = await import("../src/db/redis.js");
const { Comment } = await import("../src/models/comment.model.js");
const { Like } = await import("../src/models/like.model.js");
const { Video } = await import("../src/models/video.model.js");
const { View } = await import("../src/models/view.model.js");
const { engineName } = await import("../src/db/engine/index.js");

// Only an engine whose updates of one document may interleave takes a Redis
// lock per write (src/db/engine); on the others Redis is for limits alone.
const locksWrites = () => engineName() === "ferretdb";

afterAll(async () => {
  await closeRedis();
  await redis.stop();
});

// The client reconnects to the same address when Redis is back.
const restartRedis = async () => {
  redis = await startRedis(redis.port);
};

const countersOf = async (videoId: unknown) => {
  const video = await Video.findById(videoId).lean();
  return {
    views: video?.views,
    likesCount: video?.likesCount,
    commentsCount: video?.commentsCount,
  };
};

// A command to an absent Redis gives up after 2 s (src/db/redis.ts): a rate
// limit's, then the lock's.
const REDIS_COMMAND_TIMEOUT_MS = 2_000;
const OUTAGE_ANSWER_MS = 10_000;

describe("writes while the shared Redis is away", () => {
  it("refuses a like and a comment with 503 without touching a record or a counter where writes take a lock, takes them at once elsewhere, and once Redis is back everywhere", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const viewer = await createUser();
    const like = () =>
      api()
        .post(`${API}/likes/toggle/v/${video.id}`)
        .set("Authorization", viewer.bearer);
    expect((await like()).body.data).toEqual({ liked: true, likesCount: 1 });

    await redis.stop();
    const unlike = await like();
    if (!locksWrites()) {
      expect(unlike.status).toBe(200);
      expect(unlike.body.data).toEqual({ liked: false, likesCount: 0 });
      const comment = await api()
        .post(`${API}/comments/${video.id}`)
        .set("Authorization", viewer.bearer)
        .send({ content: "written while Redis is away" });
      expect(comment.status).toBe(201);
      expect(await countersOf(video._id)).toMatchObject({
        likesCount: 0,
        commentsCount: 1,
      });
      await restartRedis();
      expect((await like()).body.data).toEqual({ liked: true, likesCount: 1 });
      return;
    }
    expectErrorEnvelope(unlike, 503);
    expect(unlike.headers["retry-after"]).toBeDefined();
    const comment = await api()
      .post(`${API}/comments/${video.id}`)
      .set("Authorization", viewer.bearer)
      .send({ content: "written while Redis is away" });
    expectErrorEnvelope(comment, 503);
    expect(
      await Like.countDocuments({ targetType: "video", target: video._id })
    ).toBe(1);
    expect(await Comment.countDocuments({ video: video._id })).toBe(0);
    expect(await countersOf(video._id)).toMatchObject({
      likesCount: 1,
      commentsCount: 0,
    });

    await restartRedis();
    await vi.waitFor(
      async () => {
        const retried = await like();
        expect(retried.status).toBe(200);
        expect(retried.body.data).toEqual({ liked: false, likesCount: 0 });
      },
      { timeout: OUTAGE_ANSWER_MS, interval: 200 }
    );
    expect(
      await Like.countDocuments({ targetType: "video", target: video._id })
    ).toBe(0);
  }, 40_000);

  it("answers many writes to one video at once while Redis is away, not one lock wait after another (503 where writes take a lock, 200 elsewhere)", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const likers = await createUsers(6);

    await redis.stop();
    const startedAt = Date.now();
    const answers = await Promise.all(
      likers.map((liker) =>
        api()
          .post(`${API}/likes/toggle/v/${video.id}`)
          .set("Authorization", liker.bearer)
      )
    );
    const elapsed = Date.now() - startedAt;
    await restartRedis();

    const stored = locksWrites() ? 0 : likers.length;
    for (const answer of answers) {
      if (locksWrites()) expectErrorEnvelope(answer, 503);
      else expect(answer.status).toBe(200);
    }
    expect(elapsed).toBeLessThan(REDIS_COMMAND_TIMEOUT_MS + 1_000);
    expect(
      await Like.countDocuments({ targetType: "video", target: video._id })
    ).toBe(stored);
    expect((await countersOf(video._id)).likesCount).toBe(stored);
  }, 40_000);

  it("stores the count of a view watched while Redis was away: at once where writes take no lock, once it is back elsewhere", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const viewer = await createUser();

    await redis.stop();
    const watch = await api()
      .get(`${API}/videos/${video.id}`)
      .set("Authorization", viewer.bearer);
    expect(watch.status).toBe(200);
    // The view is stored; where writes take a lock, its count waits for it.
    await vi.waitFor(
      async () =>
        expect(await View.countDocuments({ video: video._id })).toBe(1),
      { timeout: OUTAGE_ANSWER_MS, interval: 100 }
    );
    if (!locksWrites()) {
      await vi.waitFor(
        async () => expect((await countersOf(video._id)).views).toBe(1),
        { timeout: OUTAGE_ANSWER_MS, interval: 100 }
      );
      await restartRedis();
      return;
    }
    expect((await countersOf(video._id)).views).toBe(0);
    // Past the first flush's failure at the lock (at most one command
    // timeout): what Redis's return finds is a retry, whose view is a
    // duplicate by then.
    await new Promise((resolve) =>
      setTimeout(resolve, REDIS_COMMAND_TIMEOUT_MS + 1_000)
    );

    await restartRedis();
    await vi.waitFor(
      async () => expect((await countersOf(video._id)).views).toBe(1),
      { timeout: OUTAGE_ANSWER_MS, interval: 100 }
    );
  }, 40_000);
});
