// Paths, byte ranges and uploads on the real app: traversal never leaves the
// storage folder, odd ranges are a clear 416, and files that lie about their
// type or hold nothing are refused with nothing kept.
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Response, Test } from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { config } from "../src/config.js";
import { createUser, createVideo, type TestUser } from "./helpers/factories.js";
import { api, API, expectErrorEnvelope } from "./helpers/http.js";
import { newAccount, register } from "./helpers/registration.js";
import {
  attachVideoFiles,
  expectEmptyDir,
  jpegBytes,
  mp4Bytes,
  pngBytes,
  storedFiles,
} from "./helpers/media.js";

const { tempDir } = config.uploads;

let videoUrl: string;
let videoSize: number;

beforeAll(async () => {
  const owner = await createUser();
  const video = mp4Bytes(3, 4096);
  videoSize = video.length;
  const published = await attachVideoFiles(
    api()
      .post(`${API}/videos`)
      .set("Authorization", owner.bearer)
      .field("title", "Range target")
      .field("description", "A stored file to ask ranges of"),
    { video, thumbnail: pngBytes() }
  );
  expect(published.status).toBe(201);
  videoUrl = published.body.data.videoFile as string;
});

describe("paths that try to leave /uploads", () => {
  const probe = "probe-traversal.png";
  beforeAll(() => writeFileSync(path.join(tempDir, probe), pngBytes()));
  afterAll(() => rmSync(path.join(tempDir, probe), { force: true }));

  it.each([
    "/uploads/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/uploads/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/uploads/image/..%5c..%5c..%5cetc%5cpasswd",
    "/uploads/....//....//....//etc/passwd",
    "/uploads/image/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    `/uploads/..%2ftemp%2f${probe}`,
    `/uploads/%2e%2e/temp/${probe}`,
    `/uploads/image/..%2f..%2ftemp%2f${probe}`,
  ])("GET %s is a JSON 404", async (url) => {
    const response = await api().get(url);
    expectErrorEnvelope(response, 404);
    expect(response.text).not.toMatch(/root:|\x89PNG/);
  });

  it.each([
    ["/uploads/image/x.png%00.txt", 404],
    ["/uploads/%00", 404],
    ["/uploads/image/%00../../etc/passwd", 404],
    ["/uploads/image/%FF.png", 400],
  ])("GET %s is a JSON %i", async (url, status) => {
    expectErrorEnvelope(await api().get(url), status);
  });
});

describe("Range headers on a stored video", () => {
  it.each([
    ["a start past the end", "bytes=999999999999-"],
    ["an empty suffix", "bytes=-0"],
    ["a start after the end", "bytes=500-100"],
    [
      "hundreds of ranges",
      Array.from({ length: 300 }, (_, i) => `${i}-${i}`)
        .join(",")
        .replace(/^/, "bytes="),
    ],
    ["two overlapping ranges", "bytes=0-10,5-20"],
  ])("answers %s with a JSON 416 naming the size", async (_why, range) => {
    const response = await api().get(videoUrl).set("Range", range);
    expectErrorEnvelope(response, 416);
    expect(response.headers["content-range"]).toBe(`bytes */${videoSize}`);
  });

  it("still answers one satisfiable range with 206", async () => {
    const response = await api().get(videoUrl).set("Range", "bytes=0-3");
    expect(response.status).toBe(206);
    expect(response.headers["content-range"]).toBe(`bytes 0-3/${videoSize}`);
  });

  it("ignores a header that is no byte range at all, as HTTP says", async () => {
    const response = await api().get(videoUrl).set("Range", "lines=1-2");
    expect(response.status).toBe(200);
  });
});

type UploadField = [
  where: string,
  field: string,
  kind: "image" | "video",
  send: (
    user: TestUser,
    file: Buffer,
    name: string,
    type: string
  ) => Promise<Response> | Test,
];

// The file under test is the only one attached.
const registerWithoutFiles = () => register(newAccount("file"), {});

const publish = (user: TestUser) =>
  api()
    .post(`${API}/videos`)
    .set("Authorization", user.bearer)
    .field("title", "A title")
    .field("description", "A description");

/** Every upload field of every endpoint, with the other required files valid. */
const UPLOAD_FIELDS: UploadField[] = [
  [
    "POST /users/register",
    "avatar",
    "image",
    (_u, file, name, type) =>
      registerWithoutFiles().attach("avatar", file, {
        filename: name,
        contentType: type,
      }),
  ],
  [
    "POST /users/register",
    "coverImage",
    "image",
    (_u, file, name, type) =>
      registerWithoutFiles()
        .attach("avatar", pngBytes(), {
          filename: "a.png",
          contentType: "image/png",
        })
        .attach("coverImage", file, { filename: name, contentType: type }),
  ],
  [
    "PATCH /users/avatar",
    "avatar",
    "image",
    (user, file, name, type) =>
      api()
        .patch(`${API}/users/avatar`)
        .set("Authorization", user.bearer)
        .attach("avatar", file, { filename: name, contentType: type }),
  ],
  [
    "PATCH /users/cover-image",
    "coverImage",
    "image",
    (user, file, name, type) =>
      api()
        .patch(`${API}/users/cover-image`)
        .set("Authorization", user.bearer)
        .attach("coverImage", file, { filename: name, contentType: type }),
  ],
  [
    "POST /videos",
    "videoFile",
    "video",
    (user, file, name, type) =>
      publish(user)
        .attach("videoFile", file, { filename: name, contentType: type })
        .attach("thumbnail", pngBytes(), {
          filename: "t.png",
          contentType: "image/png",
        }),
  ],
  [
    "POST /videos",
    "thumbnail",
    "image",
    (user, file, name, type) =>
      publish(user)
        .attach("videoFile", mp4Bytes(2), {
          filename: "v.mp4",
          contentType: "video/mp4",
        })
        .attach("thumbnail", file, { filename: name, contentType: type }),
  ],
  [
    "PATCH /videos/:videoId",
    "thumbnail",
    "image",
    async (user, file, name, type) => {
      const video = await createVideo(user);
      return api()
        .patch(`${API}/videos/${String(video._id)}`)
        .set("Authorization", user.bearer)
        .attach("thumbnail", file, { filename: name, contentType: type });
    },
  ],
];

/** Files whose name and declared type lie about their content. */
const LIARS: Record<"image" | "video", [string, Buffer, string, string][]> = {
  image: [
    [
      "a script named .jpg",
      Buffer.from("<script>alert(1)</script>"),
      "x.jpg",
      "image/jpeg",
    ],
    [
      "an SVG with a script",
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
      ),
      "x.png",
      "image/svg+xml",
    ],
    [
      "an HTML page named .png",
      Buffer.from("<!doctype html><h1>hi</h1>"),
      "x.png",
      "image/png",
    ],
    ["a video named .png", mp4Bytes(2), "x.png", "image/png"],
    [
      "a shell script named .gif",
      Buffer.from("#!/bin/sh\nrm -rf /\n"),
      "x.gif",
      "image/gif",
    ],
  ],
  video: [
    ["a PNG named .mp4", pngBytes(), "v.mp4", "video/mp4"],
    ["a JPEG named .webm", jpegBytes(), "v.webm", "video/webm"],
    [
      "an executable named .mp4",
      Buffer.from("\x7fELF\x02\x01\x01\x00"),
      "v.mp4",
      "video/mp4",
    ],
  ],
};

describe.each(UPLOAD_FIELDS)("%s %s", (_where, field, kind, send) => {
  afterEach(async () => {
    await expectEmptyDir(tempDir);
  });

  it("refuses a zero-byte file with 415, keeping nothing", async () => {
    const user = await createUser();
    const before = await storedFiles();
    const body = expectErrorEnvelope(
      await send(
        user,
        Buffer.alloc(0),
        kind === "video" ? "v.mp4" : "a.png",
        kind === "video" ? "video/mp4" : "image/png"
      ),
      415
    );
    expect(body.message).toMatch(/empty/i);
    expect(await storedFiles()).toEqual(before);
  });

  it.each(LIARS[kind])(
    "refuses %s with 415, keeping nothing",
    async (_why, file, name, type) => {
      const user = await createUser();
      const before = await storedFiles();
      const body = expectErrorEnvelope(await send(user, file, name, type), 415);
      expect(body.errors.map((error) => error.path)).toContain(field);
      expect(await storedFiles()).toEqual(before);
    }
  );
});
