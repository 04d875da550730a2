import { once } from "node:events";
import { existsSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import request from "supertest";
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import { config } from "../src/config.js";
import { StorageError } from "../src/utils/storage/errors.js";
import { storage } from "../src/utils/storage/index.js";
import { cleanTempDir } from "../src/utils/media/temp-files.js";
import { ClipModel, mediaTestApp } from "./helpers/media-app.js";
import { expectErrorEnvelope } from "./helpers/http.js";
import {
  expectEmptyDir,
  storedFiles,
  mp4Bytes,
  mp4Header,
  pngBytes,
} from "./helpers/media.js";

const testApp = mediaTestApp();
const { tempDir, storageDir } = config.uploads;

const postClip = (title = "My clip") =>
  request(testApp)
    .post("/media-test/clips")
    .field("title", title)
    .attach("videoFile", mp4Bytes(7.25, 4096), {
      filename: "holiday.mp4",
      contentType: "video/mp4",
    })
    .attach("thumbnail", pngBytes(), {
      filename: "../../../etc/thumb.png",
      contentType: "image/png",
    });

describe("media uploads on local storage", () => {
  afterEach(async () => {
    vi.restoreAllMocks();
    await expectEmptyDir(tempDir);
  });
  // The clips go with their files: a record removed alone would leave files
  // that nothing names (tests/helpers/leftovers.ts).
  afterAll(async () => {
    for (const clip of await ClipModel.find()) {
      await storage.delete(clip.video.publicId, "video");
      if (clip.thumbnail)
        await storage.delete(clip.thumbnail.publicId, "image");
    }
    await ClipModel.deleteMany({});
  });

  it("stores a video and a thumbnail under random names and measures the duration", async () => {
    const response = await postClip().field("duration", "9999");
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(storage.name).toBe("local");
    expect(response.body.video).toMatch(
      /^\/uploads\/video\/[a-f0-9]{32}\.mp4$/
    );
    expect(response.body.thumbnail).toMatch(
      /^\/uploads\/image\/[a-f0-9]{32}\.png$/
    );
    // Measured from the mvhd box, not the client's 9999.
    expect(response.body.duration).toBe(7.25);
    expect(await storedFiles()).toEqual(
      [response.body.video, response.body.thumbnail]
        .map((url: string) => url.replace("/uploads/", ""))
        .sort()
    );
    expect(readdirSync(storageDir, { recursive: true }).join()).not.toMatch(
      /holiday|thumb|etc/
    );
  });

  it("serves stored files with their type and answers byte ranges with 206", async () => {
    const { body } = await postClip();
    const image = await request(testApp).get(body.thumbnail);
    expect(image.status).toBe(200);
    expect(image.headers["content-type"]).toBe("image/png");
    expect(Buffer.from(image.body as Buffer).equals(pngBytes())).toBe(true);

    const video = await request(testApp)
      .get(body.video)
      .set("Range", "bytes=4-11")
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => done(null, Buffer.concat(chunks)));
      });
    expect(video.status).toBe(206);
    expect(video.headers["content-type"]).toBe("video/mp4");
    expect(video.headers["content-range"]).toBe(
      `bytes 4-11/${mp4Bytes(7.25, 4096).length}`
    );
    expect((video.body as Buffer).toString("latin1")).toBe("ftypisom");
  });

  it("never serves the temp folder through /uploads", async () => {
    writeFileSync(path.join(tempDir, "probe.png"), pngBytes());
    try {
      for (const url of [
        "/uploads/../temp/probe.png",
        "/uploads/%2e%2e/temp/probe.png",
        "/temp/probe.png",
        "/public/temp/probe.png",
      ]) {
        expectErrorEnvelope(await request(testApp).get(url), 404);
      }
    } finally {
      await cleanTempDir(tempDir, -1);
    }
  });

  it("deletes the temp files when validation fails after the upload", async () => {
    const before = await storedFiles();
    const response = await postClip("   ");
    expectErrorEnvelope(response, 400);
    expect(await storedFiles()).toEqual(before);
  });

  it("deletes the stored files when the database refuses the record", async () => {
    const before = await storedFiles();
    const clips = await ClipModel.countDocuments();
    const response = await postClip("a title longer than the model allows");
    expectErrorEnvelope(response, 400);
    expect(await storedFiles()).toEqual(before);
    expect(await ClipModel.countDocuments()).toBe(clips);
  });

  it("answers 502 when storage fails and deletes what was already stored", async () => {
    const put = storage.put.bind(storage);
    vi.spyOn(storage, "put")
      .mockImplementationOnce(put)
      .mockRejectedValueOnce(new StorageError("disk gone"));
    const before = await storedFiles();
    expectErrorEnvelope(await postClip(), 502);
    expect(await storedFiles()).toEqual(before);
  });

  it("deletes the temp files when a handler throws after the upload", async () => {
    const response = await request(testApp)
      .post("/media-test/explode")
      .attach("avatar", pngBytes(), "a.png");
    expectErrorEnvelope(response, 500);
  });

  it("rejects a video whose duration cannot be read", async () => {
    const noMovieHeader = mp4Bytes(3).subarray(0, 24);
    const before = await storedFiles();
    const response = await request(testApp)
      .post("/media-test/clips")
      .field("title", "broken")
      .attach(
        "videoFile",
        Buffer.concat([noMovieHeader, Buffer.alloc(5000)]),
        "v.mp4"
      );
    const body = expectErrorEnvelope(response, 400);
    expect(body.message).toMatch(/duration/);
    expect(await storedFiles()).toEqual(before);
  });

  it("replaces a thumbnail and deletes the old file only after the update", async () => {
    const created = await postClip();
    const oldFile = created.body.thumbnail.replace("/uploads/", "");
    expect(existsSync(path.join(storageDir, oldFile))).toBe(true);
    const response = await request(testApp)
      .patch(`/media-test/clips/${created.body.id}/thumbnail`)
      .attach("thumbnail", pngBytes(), "new.png");
    expect(response.status).toBe(200);
    expect(response.body.thumbnail).not.toBe(created.body.thumbnail);
    expect(existsSync(path.join(storageDir, oldFile))).toBe(false);
    expect(
      existsSync(
        path.join(storageDir, response.body.thumbnail.replace("/uploads/", ""))
      )
    ).toBe(true);
  });
});

describe("streaming and aborted uploads", () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = mediaTestApp().listen(0);
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Starts a multipart upload of a video of `total` bytes and leaves it open. */
  function openUpload(total: number) {
    const boundary = "----videotube-test-boundary";
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nstreamed\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="videoFile"; filename="big.mp4"\r\n` +
        `Content-Type: video/mp4\r\n\r\n`
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const header = mp4Header(12, total);
    const req = http.request({
      port,
      method: "POST",
      path: "/media-test/clips",
      headers: {
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "content-length": head.length + header.length + total + tail.length,
      },
    });
    req.on("error", () => undefined);
    req.write(head);
    req.write(header);
    return { req, tail };
  }

  async function tempBytes(): Promise<number> {
    const { stat } = await import("node:fs/promises");
    let bytes = 0;
    for (const name of await readdir(tempDir)) {
      bytes += (await stat(path.join(tempDir, name)).catch(() => ({ size: 0 })))
        .size;
    }
    return bytes;
  }

  it("streams the upload to a temp file on disk while it arrives", async () => {
    await mkdir(tempDir, { recursive: true });
    const total = 24 * 1024 * 1024;
    const { req, tail } = openUpload(total);
    const chunk = Buffer.alloc(1024 * 1024);
    const heapBefore = process.memoryUsage().heapUsed;
    for (let sent = 0; sent < total / 2; sent += chunk.length) req.write(chunk);
    // Half the file is on disk before the request is complete.
    await vi.waitFor(
      async () => expect(await tempBytes()).toBeGreaterThan(total / 4),
      {
        timeout: 5_000,
      }
    );
    for (let sent = total / 2; sent < total; sent += chunk.length)
      req.write(chunk);
    req.end(tail);
    const [response] = (await once(req, "response")) as [http.IncomingMessage];
    response.resume();
    expect(response.statusCode).toBe(201);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(total / 2);
    await expectEmptyDir(tempDir);
  });

  it("removes the temp file when the client aborts mid-upload", async () => {
    const { req } = openUpload(8 * 1024 * 1024);
    req.write(Buffer.alloc(256 * 1024));
    await vi.waitFor(async () => expect(await tempBytes()).toBeGreaterThan(0), {
      timeout: 5_000,
    });
    req.destroy();
    await expectEmptyDir(tempDir);
  });
});

describe("the start-up janitor", () => {
  it("removes temp files older than the limit and keeps recent ones", async () => {
    await mkdir(tempDir, { recursive: true });
    const old = path.join(tempDir, "old.mp4");
    const recent = path.join(tempDir, "recent.mp4");
    const keep = path.join(tempDir, ".gitkeep");
    for (const file of [old, recent, keep]) writeFileSync(file, "x");
    const anHourAgo = new Date(Date.now() - 60 * 60 * 1000);
    utimesSync(old, anHourAgo, anHourAgo);
    expect(await cleanTempDir(tempDir, 10 * 60 * 1000)).toBe(1);
    expect(readdirSync(tempDir).sort()).toEqual([".gitkeep", "recent.mp4"]);
    await cleanTempDir(tempDir, -1);
    expect(readdirSync(tempDir)).toEqual([".gitkeep"]);
    const { rmSync } = await import("node:fs");
    rmSync(keep);
  });
});
