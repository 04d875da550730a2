import request from "supertest";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import {
  CLOUD,
  startCloudinaryStandIn,
} from "./helpers/cloudinary-stand-in.js";

// The stand-in must be listening before the config is read, so everything
// that imports the config comes in through dynamic imports below.
const standIn = await startCloudinaryStandIn();
process.env.CLOUDINARY_CLOUD_NAME = CLOUD.cloudName;
process.env.CLOUDINARY_API_KEY = CLOUD.apiKey;
process.env.CLOUDINARY_API_SECRET = CLOUD.apiSecret;
process.env.CLOUDINARY_UPLOAD_PREFIX = standIn.uploadPrefix;

const { config } = await import("../src/config.js");
const { storage } = await import("../src/utils/storage/index.js");
const { createCloudinaryStorage } =
  await import("../src/utils/storage/cloudinary.storage.js");
const { discardStored } = await import("../src/services/media.service.js");
const { removeFiles } = await import("../src/utils/media/temp-files.js");
const { mediaTestApp } = await import("./helpers/media-app.js");
const { expectErrorEnvelope } = await import("./helpers/http.js");
const { expectEmptyDir, mp4Bytes, pngBytes } =
  await import("./helpers/media.js");

const LARGE = 1024 * 1024;
const CHUNK = 256 * 1024;
// The configured storage, with the stand-in's certificate trusted and small
// chunks; the SDK calls are the real ones.
const cloud = createCloudinaryStorage({
  ...(config.cloudinary as NonNullable<typeof config.cloudinary>),
  agent: standIn.agent,
  largeUploadBytes: LARGE,
  chunkBytes: CHUNK,
});
vi.spyOn(storage, "put").mockImplementation(cloud.put);
vi.spyOn(storage, "delete").mockImplementation(cloud.delete);

const testApp = mediaTestApp();
const postClip = (videoBytes: Buffer) =>
  request(testApp)
    .post("/media-test/clips")
    .field("title", "cloud clip")
    .attach("videoFile", videoBytes, "v.mp4")
    .attach("thumbnail", pngBytes(), "t.png");

describe("Cloudinary storage through the real SDK", () => {
  afterEach(async () => {
    standIn.requests.length = 0;
    await expectEmptyDir(config.uploads.tempDir);
  });
  afterAll(async () => {
    standIn.agent.destroy();
    await standIn.close();
  });

  it("is the storage the config picks when CLOUDINARY_* is set", () => {
    expect(storage.name).toBe("cloudinary");
    expect(config.cloudinary?.uploadPrefix).toBe(standIn.uploadPrefix);
  });

  it("uploads an image and a small video with signed requests and keeps secure_url and public_id", async () => {
    const response = await postClip(mp4Bytes(4, 2048));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.thumbnail).toMatch(
      /^https:\/\/res\.cloudinary\.com\/demo-cloud\/image\/upload\/v1\/videotube\/image\/[a-f0-9]{32}$/
    );
    expect(response.body.video).toMatch(
      /^https:\/\/.*\/video\/upload\/v1\/videotube\/video\//
    );
    // The duration measured from the file, not the 99 the service reports.
    expect(response.body.duration).toBe(4);
    expect(
      standIn.requests.map((r) => [r.action, r.resourceType, r.contentRange])
    ).toEqual([
      ["upload", "video", undefined],
      ["upload", "image", undefined],
    ]);
    expect(
      standIn.assets.get(`image:${standIn.requests[1]?.fields.public_id}`)
    ).toEqual(pngBytes());
  });

  it("sends a video above the threshold in chunks with Content-Range and one X-Unique-Upload-Id", async () => {
    const bytes = mp4Bytes(6, LARGE + CHUNK / 2);
    const response = await postClip(bytes);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const chunks = standIn.requests.filter((r) => r.resourceType === "video");
    expect(chunks.length).toBe(Math.ceil(bytes.length / CHUNK));
    expect(new Set(chunks.map((c) => c.uploadId)).size).toBe(1);
    expect(chunks.at(-1)?.contentRange).toBe(
      `bytes ${(chunks.length - 1) * CHUNK}-${bytes.length - 1}/${bytes.length}`
    );
    expect(chunks[0]?.contentRange).toBe(`bytes 0-${CHUNK - 1}/-1`);
    expect(standIn.assets.get(`video:${chunks[0]?.fields.public_id}`)).toEqual(
      bytes
    );
  });

  it("deletes by public_id with the resource type of each file", async () => {
    const imagePath = await tempCopy(pngBytes(), "png");
    const videoPath = await tempCopy(mp4Bytes(2), "mp4");
    const image = await cloud.put(imagePath, "image");
    const video = await cloud.put(videoPath, "video");
    await removeFiles([imagePath, videoPath]);
    standIn.requests.length = 0;
    await discardStored(image, { url: video.url, publicId: video.publicId });
    expect(
      standIn.requests
        .map((r) => [r.action, r.resourceType, r.fields.public_id])
        .sort()
    ).toEqual(
      [
        ["destroy", "image", image.publicId],
        ["destroy", "video", video.publicId],
      ].sort()
    );
    expect(standIn.assets.has(`image:${image.publicId}`)).toBe(false);
    // A second delete finds nothing, which is not an error.
    await expect(
      cloud.delete(image.publicId, "image")
    ).resolves.toBeUndefined();
  });

  it("surfaces a Cloudinary failure as 502 and leaves nothing in storage or temp", async () => {
    const before = standIn.assets.size;
    standIn.state.failStatus = 500;
    // The video goes first and succeeds; the thumbnail fails.
    const put = vi.mocked(storage.put);
    put
      .mockImplementationOnce(cloud.put)
      .mockImplementationOnce(async (file, kind) => {
        standIn.state.failUploads = 1;
        return cloud.put(file, kind);
      });
    expectErrorEnvelope(await postClip(mp4Bytes(3)), 502);
    expect(standIn.assets.size).toBe(before);
    expect(
      standIn.requests.some(
        (r) => r.action === "destroy" && r.resourceType === "video"
      )
    ).toBe(true);
  });

  it("surfaces an unexpected status (503) as 502 too", async () => {
    standIn.state.failStatus = 503;
    standIn.state.failUploads = 1;
    expectErrorEnvelope(await postClip(mp4Bytes(3)), 502);
  });
});

async function tempCopy(bytes: Buffer, ext: string): Promise<string> {
  const { writeFile, mkdtemp } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const dir = await mkdtemp(path.join(tmpdir(), "cloud-put-"));
  const file = `${dir}.${ext}`;
  const { rmdir } = await import("node:fs/promises");
  await rmdir(dir);
  await writeFile(file, bytes);
  return file;
}
