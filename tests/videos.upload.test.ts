import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { config } from "../src/config.js";
import { Video } from "../src/models/video.model.js";
import { publishVideo } from "../src/services/video.service.js";
import { createUser, type TestUser } from "./helpers/factories.js";
import { API, api, expectErrorEnvelope } from "./helpers/http.js";
import {
  attachVideoFiles,
  expectEmptyDir,
  mp4Bytes,
  pngBytes,
  storedFiles,
} from "./helpers/media.js";

const { tempDir, storageDir } = config.uploads;

const fileOf = (url: string) =>
  path.join(storageDir, url.replace(/^\/uploads\//, ""));

const publish = (
  user: TestUser | undefined,
  fields: { title?: string; description?: string } = {
    title: "My holiday",
    description: "Sun and sea",
  },
  files: { video?: Buffer; thumbnail?: Buffer } = {
    video: mp4Bytes(7.25, 2048),
    thumbnail: pngBytes(),
  }
) => {
  let request = api().post(`${API}/videos`);
  if (user) request = request.set("Authorization", user.bearer);
  for (const [name, value] of Object.entries(fields)) {
    request = request.field(name, value);
  }
  return attachVideoFiles(request, files);
};

afterEach(async () => {
  await expectEmptyDir(tempDir);
});

describe("POST /videos", () => {
  it("stores both files, measures the duration and answers 201 with the video", async () => {
    const owner = await createUser();
    const before = await storedFiles();
    const response = await publish(owner).field("duration", "9999");
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const video = response.body.data;
    expect(video).toMatchObject({
      title: "My holiday",
      description: "Sun and sea",
      duration: 7.25,
      views: 0,
      isPublished: true,
      owner: { _id: owner.id, username: owner.user.username },
    });
    expect(video.videoFile).toMatch(/^\/uploads\/video\/[a-f0-9]{32}\.mp4$/);
    expect(video.thumbnail).toMatch(/^\/uploads\/image\/[a-f0-9]{32}\.png$/);
    expect(existsSync(fileOf(video.videoFile))).toBe(true);
    expect(existsSync(fileOf(video.thumbnail))).toBe(true);
    expect((await storedFiles()).length).toBe(before.length + 2);
    expect(JSON.stringify(video)).not.toContain("publicId");

    const watched = await api().get(`${API}/videos/${video._id}`);
    expect(watched.status).toBe(200);
    expect(watched.body.data.videoFile).toBe(video.videoFile);
  });

  it("answers 401 without a token and stores nothing", async () => {
    const before = await storedFiles();
    expectErrorEnvelope(await publish(undefined), 401);
    expect(await storedFiles()).toEqual(before);
  });

  it.each([
    ["videoFile", { thumbnail: pngBytes() }],
    ["thumbnail", { video: mp4Bytes(3) }],
  ])("answers 400 without %s and stores nothing", async (field, files) => {
    const owner = await createUser();
    const before = await storedFiles();
    const response = await publish(
      owner,
      { title: "t", description: "d" },
      files
    );
    const body = expectErrorEnvelope(response, 400);
    expect(body.errors.map((error) => error.path)).toContain(field);
    expect(await storedFiles()).toEqual(before);
  });

  it.each([
    ["title", { description: "d" }],
    ["title", { title: "t".repeat(101), description: "d" }],
    ["description", { title: "t" }],
    ["description", { title: "t", description: "d".repeat(5001) }],
  ])("answers 400 for a bad %s and stores nothing", async (field, fields) => {
    const owner = await createUser();
    const before = await storedFiles();
    const body = expectErrorEnvelope(await publish(owner, fields), 400);
    expect(body.errors.map((error) => error.path)).toContain(field);
    expect(await storedFiles()).toEqual(before);
  });

  it("refuses a bad title when the file starts, before storing or sniffing the file", async () => {
    const owner = await createUser();
    const before = await storedFiles();
    // Not a video: had the file been received and sniffed first, this is a 415.
    const response = await publish(
      owner,
      { title: "", description: "d" },
      { video: Buffer.alloc(256 * 1024, 7), thumbnail: pngBytes() }
    );
    const body = expectErrorEnvelope(response, 400);
    expect(body.errors.map((error) => error.path)).toEqual(["title"]);
    expect(await storedFiles()).toEqual(before);
  });

  it("still publishes when the text fields come after the files", async () => {
    const owner = await createUser();
    const response = await attachVideoFiles(
      api().post(`${API}/videos`).set("Authorization", owner.bearer)
    )
      .field("title", "Fields last")
      .field("description", "d");
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.data.title).toBe("Fields last");
  });

  it("answers 415 for a thumbnail that is not an image", async () => {
    const owner = await createUser();
    const before = await storedFiles();
    const response = await publish(owner, undefined, {
      video: mp4Bytes(3),
      thumbnail: Buffer.from("#!/bin/sh\necho not a png\n"),
    });
    expectErrorEnvelope(response, 415);
    expect(await storedFiles()).toEqual(before);
  });

  it("answers 502 when storage fails, and deletes the file already stored", async () => {
    const owner = await createUser();
    const before = await storedFiles();
    const videos = await Video.countDocuments();
    // The images folder becomes a plain file: the thumbnail, stored after
    // the video, cannot be written.
    const images = path.join(storageDir, "image");
    const aside = path.join(storageDir, "image.aside");
    await mkdir(images, { recursive: true });
    await rename(images, aside);
    await writeFile(images, "in the way");
    try {
      expectErrorEnvelope(await publish(owner), 502);
    } finally {
      await rm(images, { force: true });
      await rename(aside, images);
    }
    expect(await storedFiles()).toEqual(before);
    expect(await Video.countDocuments()).toBe(videos);
  });

  it("deletes the stored files when the database refuses the record", async () => {
    const owner = await createUser();
    const before = await storedFiles();
    const scratch = path.join(tempDir, "..", "scratch");
    await mkdir(scratch, { recursive: true });
    const videoPath = path.join(scratch, "v.mp4");
    const imagePath = path.join(scratch, "t.png");
    await writeFile(videoPath, mp4Bytes(2));
    await writeFile(imagePath, pngBytes());
    // An empty title passes no zod schema, but reaches the service here and
    // fails the model's `required` after both files are stored.
    await expect(
      publishVideo(
        owner.id,
        { title: "", description: "d" },
        {
          videoFile: {
            path: videoPath,
            size: 1,
            kind: "video",
            mime: "video/mp4",
            ext: "mp4",
            durationSeconds: 2,
          },
          thumbnail: {
            path: imagePath,
            size: 1,
            kind: "image",
            mime: "image/png",
            ext: "png",
          },
        }
      )
    ).rejects.toThrow(/title/);
    expect(await storedFiles()).toEqual(before);
    await rm(scratch, { recursive: true, force: true });
  });
});

describe("PATCH /videos/:videoId with a thumbnail", () => {
  const published = async () => {
    const owner = await createUser();
    const response = await publish(owner);
    expect(response.status).toBe(201);
    return {
      owner,
      video: response.body.data as {
        _id: string;
        thumbnail: string;
        videoFile: string;
      },
    };
  };

  it("replaces the thumbnail and deletes the old file after the update", async () => {
    const { owner, video } = await published();
    const response = await api()
      .patch(`${API}/videos/${video._id}`)
      .set("Authorization", owner.bearer)
      .field("title", "New title")
      .attach("thumbnail", pngBytes(), {
        filename: "new.png",
        contentType: "image/png",
      });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const updated = response.body.data;
    expect(updated.title).toBe("New title");
    expect(updated.thumbnail).not.toBe(video.thumbnail);
    expect(existsSync(fileOf(updated.thumbnail))).toBe(true);
    expect(existsSync(fileOf(video.thumbnail))).toBe(false);
    expect(existsSync(fileOf(video.videoFile))).toBe(true);
    expect((await Video.findById(video._id))?.thumbnail.url).toBe(
      updated.thumbnail
    );
  });

  it("accepts a thumbnail alone", async () => {
    const { owner, video } = await published();
    const response = await api()
      .patch(`${API}/videos/${video._id}`)
      .set("Authorization", owner.bearer)
      .attach("thumbnail", pngBytes(), "new.png");
    expect(response.status).toBe(200);
    expect(response.body.data.title).toBe("My holiday");
  });

  it("keeps the old thumbnail and stores nothing when a field is invalid", async () => {
    const { owner, video } = await published();
    const before = await storedFiles();
    const response = await api()
      .patch(`${API}/videos/${video._id}`)
      .set("Authorization", owner.bearer)
      .field("title", "")
      .attach("thumbnail", pngBytes(), "new.png");
    expectErrorEnvelope(response, 400);
    expect(await storedFiles()).toEqual(before);
    expect(existsSync(fileOf(video.thumbnail))).toBe(true);
  });

  it("refuses another user's thumbnail with 403 and stores nothing", async () => {
    const { video } = await published();
    const intruder = await createUser();
    const before = await storedFiles();
    const response = await api()
      .patch(`${API}/videos/${video._id}`)
      .set("Authorization", intruder.bearer)
      .attach("thumbnail", pngBytes(), "new.png");
    expectErrorEnvelope(response, 403);
    expect(await storedFiles()).toEqual(before);
  });
});

describe("DELETE /videos/:videoId and storage", () => {
  it("deletes both stored files with the video", async () => {
    const owner = await createUser();
    const { body } = await publish(owner);
    const video = body.data as {
      _id: string;
      videoFile: string;
      thumbnail: string;
    };
    expect(existsSync(fileOf(video.videoFile))).toBe(true);
    const response = await api()
      .delete(`${API}/videos/${video._id}`)
      .set("Authorization", owner.bearer);
    expect(response.status).toBe(200);
    expect(existsSync(fileOf(video.videoFile))).toBe(false);
    expect(existsSync(fileOf(video.thumbnail))).toBe(false);
    expect(await Video.exists({ _id: video._id })).toBeNull();
  });
});
