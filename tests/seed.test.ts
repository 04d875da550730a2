import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { config } from "../src/config.js";
import { Comment } from "../src/models/comment.model.js";
import { Like } from "../src/models/like.model.js";
import { Playlist } from "../src/models/playlist.model.js";
import { Subscription } from "../src/models/subscription.model.js";
import { Tweet } from "../src/models/tweet.model.js";
import { User } from "../src/models/user.model.js";
import { Video } from "../src/models/video.model.js";
import { SEED_PASSWORD } from "../scripts/seed/network.js";
import { SHARED_MEDIA_PREFIX } from "../src/services/media.service.js";
import { createUser } from "./helpers/factories.js";
import { API, api } from "./helpers/http.js";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");

/** `npm run seed` against this test file's own database and upload folder. */
const seed = (...args: string[]) =>
  run(process.execPath, ["--import", "tsx", "scripts/seed.ts", ...args], {
    cwd: root,
    env: {
      ...process.env,
      MONGODB_URI: inject("mongoUri"),
      DB_POSTGRESQL_URL: inject("postgresUrl") ?? "",
      DB_NAME: config.db.name,
      UPLOAD_DIR: config.uploads.storageDir,
      LOG_LEVEL: "silent",
    },
  });

const counts = async () => ({
  users: await User.countDocuments({ username: /^seed_/ }),
  videos: await Video.countDocuments(),
  likes: await Like.countDocuments(),
  comments: await Comment.countDocuments(),
  subscriptions: await Subscription.countDocuments(),
  playlists: await Playlist.countDocuments(),
  tweets: await Tweet.countDocuments(),
});

// 60 videos, 3 users: 2 likes a video, a comment for every second video,
// each user subscribed to both others, a playlist and 2 tweets each.
const EXPECTED = {
  users: 3,
  videos: 60,
  likes: 120,
  comments: 30,
  subscriptions: 6,
  playlists: 3,
  tweets: 6,
};

describe("npm run seed", () => {
  let output = "";
  beforeAll(async () => {
    output = (await seed("--videos", "60", "--users", "3")).stdout;
  }, 60_000);

  it("writes the demo network in the sizes asked for, and says how to sign in", async () => {
    expect(await counts()).toEqual(EXPECTED);
    expect(output).toContain(`password "${SEED_PASSWORD}"`);
    expect(output).toMatch(/videos: 60\/60/);
  });

  it("gives every video the like and comment counters its records make", async () => {
    const videos = await Video.find(
      {},
      { likesCount: 1, commentsCount: 1 }
    ).lean();
    expect(videos).toHaveLength(EXPECTED.videos);
    for (const video of videos) {
      expect(video.likesCount).toBe(
        await Like.countDocuments({ targetType: "video", target: video._id })
      );
      expect(video.commentsCount).toBe(
        await Comment.countDocuments({ video: video._id })
      );
    }
  });

  it("is idempotent: a second run adds nothing", async () => {
    const again = await seed("--videos", "60", "--users", "3");
    expect(again.stdout).toContain("videos: 60 already there");
    expect(await counts()).toEqual(EXPECTED);
  }, 60_000);

  it("makes data the API serves: a page of videos with thumbnails, a working sign-in", async () => {
    const page = await api().get(`${API}/videos?limit=5`);
    expect(page.status).toBe(200);
    expect(page.body.data.docs).toHaveLength(5);
    const [first] = page.body.data.docs as {
      thumbnail: string;
      owner: { username: string };
    }[];
    expect(first?.owner.username).toMatch(/^seed_\d$/);
    const thumbnail = await api().get(first?.thumbnail ?? "");
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers["content-type"]).toBe("image/png");
    const login = await api()
      .post(`${API}/users/login`)
      .send({ username: "seed_0", password: SEED_PASSWORD });
    expect(login.status).toBe(200);
  });

  it("makes real H.264 clips when ffmpeg is installed (as CI does), and says so when it is not", async () => {
    const clip = path.join(
      config.uploads.storageDir,
      SHARED_MEDIA_PREFIX,
      "video",
      "clip-0.mp4"
    );
    const ffprobe = await run("ffprobe", [
      "-v",
      "error",
      "-select_streams",
      "v:0",
      "-show_entries",
      "stream=codec_name,nb_frames",
      "-of",
      "json",
      clip,
    ]).catch(() => undefined);
    if (ffprobe === undefined) {
      expect(output).toContain("ffmpeg was not found");
      return;
    }
    const [stream] = (
      JSON.parse(ffprobe.stdout) as {
        streams: { codec_name: string; nb_frames: string }[];
      }
    ).streams;
    expect(stream?.codec_name).toBe("h264");
    // 8 seconds at 24 frames a second.
    expect(Number(stream?.nb_frames)).toBe(192);
    expect(output).not.toContain("ffmpeg was not found");
  });

  it("keeps shared media when one seeded video is deleted", async () => {
    const login = await api()
      .post(`${API}/users/login`)
      .send({ username: "seed_0", password: SEED_PASSWORD });
    const bearer = `Bearer ${login.body.data.accessToken}`;
    const own = await Video.findOne({ owner: login.body.data.user._id }).lean();
    const shared = await Video.countDocuments({
      "videoFile.publicId": own?.videoFile.publicId,
    });
    expect(shared).toBeGreaterThan(1);
    const deleted = await api()
      .delete(`${API}/videos/${String(own?._id)}`)
      .set("Authorization", bearer);
    expect(deleted.status).toBe(200);
    for (const media of [own?.videoFile, own?.thumbnail])
      expect(
        existsSync(path.join(config.uploads.storageDir, media?.publicId ?? ""))
      ).toBe(true);
  });

  it("--reset deletes only seeded documents, then seeds again", async () => {
    const outsider = await createUser();
    await seed("--videos", "60", "--users", "3", "--reset");
    expect(await counts()).toEqual(EXPECTED);
    expect(await User.exists({ _id: outsider.id })).not.toBeNull();
  }, 60_000);

  it("refuses a size it cannot make, with a clear message", async () => {
    await expect(seed("--videos", "ten")).rejects.toMatchObject({
      stderr: expect.stringContaining("--videos must be a whole number"),
    });
    await expect(seed("--users", "2")).rejects.toMatchObject({
      stderr: expect.stringContaining("--users must be a whole number from 3"),
    });
  }, 60_000);
});
