import request from "supertest";
import { afterEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.MAX_IMAGE_BYTES = "2048";
  process.env.MAX_VIDEO_BYTES = String(64 * 1024);
});

const { config } = await import("../src/config.js");
const { mediaTestApp } = await import("./helpers/media-app.js");
const { expectErrorEnvelope } = await import("./helpers/http.js");
const { expectEmptyDir, jpegBytes, mp4Bytes, pngBytes, storedFiles } =
  await import("./helpers/media.js");

const testApp = mediaTestApp();
const clips = () =>
  request(testApp).post("/media-test/clips").field("title", "t");
const video = () => mp4Bytes(2);

describe("every bad upload is a JSON error and leaves nothing behind", () => {
  afterEach(async () => {
    await expectEmptyDir(config.uploads.tempDir);
    expect(await storedFiles()).toHaveLength(0);
  });

  it.each([
    [
      "a text file sent as a video",
      Buffer.from("just some text, not a video"),
      "v.mp4",
    ],
    ["a PNG sent as a video", pngBytes(), "v.mp4"],
    [
      "a shell script named .mp4",
      Buffer.from("#!/bin/sh\nrm -rf /\n"),
      "v.mp4",
    ],
  ])("answers 415 for %s", async (_name, bytes, filename) => {
    const body = expectErrorEnvelope(
      await clips().attach("videoFile", bytes, {
        filename,
        contentType: "video/mp4",
      }),
      415
    );
    expect(body.errors[0]?.path).toBe("videoFile");
  });

  it.each([
    ["a script named .jpg", Buffer.from("<script>alert(1)</script>"), "x.jpg"],
    ["a video sent as an image", video(), "x.png"],
  ])("answers 415 for %s in an image field", async (_name, bytes, filename) => {
    expectErrorEnvelope(
      await clips()
        .attach("videoFile", video(), "v.mp4")
        .attach("thumbnail", bytes, { filename, contentType: "image/jpeg" }),
      415
    );
  });

  it("accepts a JPEG thumbnail (checks the allow-list is not PNG only)", async () => {
    const response = await request(testApp)
      .post("/media-test/explode")
      .attach("avatar", jpegBytes(), "a.jpg");
    // The route throws after a successful upload: 500, not 415.
    expectErrorEnvelope(response, 500);
  });

  it("answers 415 for an empty file", async () => {
    const body = expectErrorEnvelope(
      await clips().attach("videoFile", Buffer.alloc(0), "empty.mp4"),
      415
    );
    expect(body.message).toMatch(/empty/);
  });

  it("answers 413 for an image over the image limit", async () => {
    const big = Buffer.concat([pngBytes(), Buffer.alloc(4096)]);
    expectErrorEnvelope(
      await request(testApp)
        .post("/media-test/explode")
        .attach("avatar", big, "a.png"),
      413
    );
  });

  it("answers 413 for an image over the image limit in a form that also takes a video", async () => {
    const big = Buffer.concat([pngBytes(), Buffer.alloc(4096)]);
    const body = expectErrorEnvelope(
      await clips()
        .attach("videoFile", video(), "v.mp4")
        .attach("thumbnail", big, "t.png"),
      413
    );
    expect(body.errors[0]?.path).toBe("thumbnail");
  });

  it("answers 413 for a video over the video limit", async () => {
    expectErrorEnvelope(
      await clips().attach("videoFile", mp4Bytes(2, 128 * 1024), "v.mp4"),
      413
    );
  });

  it("answers 400 for two files in a one-file field", async () => {
    expectErrorEnvelope(
      await clips()
        .attach("videoFile", video(), "a.mp4")
        .attach("videoFile", video(), "b.mp4"),
      400
    );
  });

  it("answers 400 for a file in an unexpected field", async () => {
    const body = expectErrorEnvelope(
      await clips()
        .attach("videoFile", video(), "a.mp4")
        .attach("avatar", pngBytes(), "a.png"),
      400
    );
    expect(body.errors[0]?.path).toBe("avatar");
  });

  it("answers 413 for too many text fields", async () => {
    let form = clips();
    for (let i = 0; i < 30; i++) form = form.field(`f${i}`, "x");
    expectErrorEnvelope(await form, 413);
  });

  it("answers 413 for a text field over the size limit", async () => {
    expectErrorEnvelope(
      await clips().field("description", "x".repeat(20_000)),
      413
    );
  });

  it("answers 400 for a field name over the size limit", async () => {
    expectErrorEnvelope(await clips().field("n".repeat(500), "x"), 400);
  });

  it("rejects the array-index bomb items[4294967294]=a&items[x]=b with 400, fast", async () => {
    const started = Date.now();
    const body = expectErrorEnvelope(
      await clips().field("items[4294967294]", "a").field("items[x]", "b"),
      400
    );
    expect(body.message).toMatch(/index/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("rejects deeply nested field names with 400", async () => {
    expectErrorEnvelope(await clips().field("a[b][c][d][e]", "x"), 400);
  });

  it("answers 400 for a truncated multipart body", async () => {
    const response = await request(testApp)
      .post("/media-test/clips")
      .set("Content-Type", "multipart/form-data; boundary=xyz")
      .send(
        '--xyz\r\nContent-Disposition: form-data; name="videoFile"; filename="a.mp4"\r\n\r\nabc'
      );
    expectErrorEnvelope(response, 400);
  });
});
