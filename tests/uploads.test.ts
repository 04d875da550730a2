import { once } from "node:events";
import { readdir, readFile, stat } from "node:fs/promises";
import type { Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import path from "node:path";
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import type { DetailedError } from "tus-js-client";
import { uploadResumable } from "../client/resumable.js";
import { app } from "../src/app.js";
import { config } from "../src/config.js";
import { ResumableUpload } from "../src/models/resumableUpload.model.js";
import { Video } from "../src/models/video.model.js";
import { sweepExpiredUploads } from "../src/services/resumableUpload.service.js";
import { createUser, type TestUser } from "./helpers/factories.js";
import { API, api, expectErrorEnvelope } from "./helpers/http.js";
import { mp4Bytes, pngBytes, storedFiles } from "./helpers/media.js";
import { requestHead } from "./helpers/raw-http.js";
import { signInOn } from "./helpers/remote-user.js";
import { startServer, stopServer } from "./helpers/server-process.js";

const { tempDir, storageDir, resumable } = config.uploads;
const TUS = { "Tus-Resumable": "1.0.0" };
const OCTETS = "application/offset+octet-stream";

const metadata = (pairs: Record<string, string>) =>
  Object.entries(pairs)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString("base64")}`)
    .join(",");

const idOf = (location: string) => location.split("/").at(-1) as string;

/** Creates an upload of `size` bytes; answers its URL (a path here). */
async function create(
  user: TestUser,
  size: number,
  kind: "video" | "image" = "video"
): Promise<string> {
  const response = await api()
    .post(`${API}/uploads`)
    .set("Authorization", user.bearer)
    .set(TUS)
    .set("Upload-Length", String(size))
    .set("Upload-Metadata", metadata({ kind, filename: `a.${kind}` }));
  expect(response.status, response.text).toBe(201);
  const location = response.headers.location as string;
  expect(location).toMatch(/^\/api\/v1\/uploads\/[a-f0-9]{24}$/);
  return location;
}

const patch = (
  user: TestUser,
  location: string,
  offset: number,
  bytes: Buffer
) =>
  api()
    .patch(location)
    .set("Authorization", user.bearer)
    .set(TUS)
    .set("Upload-Offset", String(offset))
    .set("Content-Type", OCTETS)
    .send(bytes);

const offsetOf = async (user: TestUser, location: string) => {
  const response = await api()
    .head(location)
    .set("Authorization", user.bearer)
    .set(TUS);
  expect(response.status).toBe(200);
  return Number(response.headers["upload-offset"]);
};

/** A whole upload in one PATCH; answers its id. */
async function uploadWhole(
  user: TestUser,
  bytes: Buffer,
  kind: "video" | "image"
): Promise<string> {
  const location = await create(user, bytes.length, kind);
  const response = await patch(user, location, 0, bytes);
  expect(response.status, response.text).toBe(204);
  expect(response.headers["upload-offset"]).toBe(String(bytes.length));
  return idOf(location);
}

const publishFrom = (
  user: TestUser,
  ids: { videoUploadId: string; thumbnailUploadId: string }
) =>
  api()
    .post(`${API}/videos`)
    .set("Authorization", user.bearer)
    .send({ title: "Resumed", description: "Sent in parts", ...ids });

const bytesFile = (id: string) => path.join(resumable.dir, id);
const filesInUploadDir = async () =>
  (await readdir(resumable.dir).catch(() => [] as string[])).sort();

let server: Server;
let port: number;

beforeAll(async () => {
  server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(async () => {
  // Whatever a test left in progress goes, as the expiry job would.
  await sweepExpiredUploads(new Date(Date.now() + 2 * resumable.expiryMs));
  expect(await filesInUploadDir()).toEqual([]);
  // The temp folder holds the uploads' own folder, and nothing else.
  await vi.waitFor(
    async () =>
      expect(
        (await readdir(tempDir).catch(() => [] as string[])).filter(
          (name) => name !== path.basename(resumable.dir)
        )
      ).toEqual([]),
    { timeout: 3_000, interval: 25 }
  );
});

describe("resumable uploads (tus) at /api/v1/uploads", () => {
  it("resumes from the offset after a cut connection, and publishes the exact bytes", async () => {
    const owner = await createUser();
    const video = mp4Bytes(4.5, 512 * 1024);
    const location = await create(owner, video.length, "video");
    const id = idOf(location);
    const half = Math.floor(video.length / 2);

    // The first PATCH declares every byte, sends half, and the line is cut.
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    socket.write(
      requestHead("PATCH", location, {
        Authorization: owner.bearer,
        "Tus-Resumable": "1.0.0",
        "Upload-Offset": 0,
        "Content-Type": OCTETS,
        "Content-Length": video.length,
      })
    );
    socket.write(video.subarray(0, half));
    await vi.waitFor(
      async () => expect((await stat(bytesFile(id))).size).toBe(half),
      { timeout: 5_000, interval: 20 }
    );
    socket.destroy();

    await vi.waitFor(
      async () => expect(await offsetOf(owner, location)).toBe(half),
      { timeout: 10_000, interval: 100 }
    );
    const rest = await patch(owner, location, half, video.subarray(half));
    expect(rest.status, rest.text).toBe(204);
    expect(rest.headers["upload-offset"]).toBe(String(video.length));
    expect(await offsetOf(owner, location)).toBe(video.length);

    const thumbnailUploadId = await uploadWhole(owner, pngBytes(), "image");
    const before = await storedFiles();
    const response = await publishFrom(owner, {
      videoUploadId: id,
      thumbnailUploadId,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const published = response.body.data;
    expect(published).toMatchObject({
      title: "Resumed",
      duration: 4.5,
      owner: { _id: owner.id },
    });
    expect(published.videoFile).toMatch(
      /^\/uploads\/video\/[a-f0-9]{32}\.mp4$/
    );
    expect(published.thumbnail).toMatch(
      /^\/uploads\/image\/[a-f0-9]{32}\.png$/
    );
    const stored = (url: string) =>
      readFile(path.join(storageDir, url.replace(/^\/uploads\//, "")));
    expect((await stored(published.videoFile)).equals(video)).toBe(true);
    expect((await stored(published.thumbnail)).equals(pngBytes())).toBe(true);
    expect((await storedFiles()).length).toBe(before.length + 2);
    // The uploads' bytes went with the publish; their ids are spent.
    expect(await filesInUploadDir()).toEqual([]);
    const head = await api()
      .head(location)
      .set("Authorization", owner.bearer)
      .set(TUS);
    expect(head.status).toBe(404);
  });

  it("goes on from the offset after the server restarts", async () => {
    const owner = await createUser();
    const video = mp4Bytes(2, 64 * 1024);
    const half = Math.floor(video.length / 2);
    const tusHeaders = (bearer: string, more: Record<string, string> = {}) => ({
      Authorization: bearer,
      ...TUS,
      ...more,
    });
    // A server process of its own each time, on this file's database and folders.
    const onServer = async <T>(work: (url: string) => Promise<T>) => {
      const running = await startServer({});
      try {
        return await work(running.url);
      } finally {
        await stopServer(running);
      }
    };

    const location = await onServer(async (url) => {
      const bearer = await signInOn(url, owner);
      const created = await fetch(`${url}${API}/uploads`, {
        method: "POST",
        headers: tusHeaders(bearer, {
          "Upload-Length": String(video.length),
          "Upload-Metadata": metadata({ kind: "video" }),
        }),
      });
      expect(created.status).toBe(201);
      const uploadUrl = created.headers.get("location") ?? "";
      const first = await fetch(`${url}${uploadUrl}`, {
        method: "PATCH",
        headers: tusHeaders(bearer, {
          "Upload-Offset": "0",
          "Content-Type": OCTETS,
        }),
        body: new Uint8Array(video.subarray(0, half)),
      });
      expect(first.status).toBe(204);
      return uploadUrl;
    });

    await onServer(async (url) => {
      const bearer = await signInOn(url, owner);
      const head = await fetch(`${url}${location}`, {
        method: "HEAD",
        headers: tusHeaders(bearer),
      });
      expect(head.status).toBe(200);
      expect(head.headers.get("upload-offset")).toBe(String(half));
      const rest = await fetch(`${url}${location}`, {
        method: "PATCH",
        headers: tusHeaders(bearer, {
          "Upload-Offset": String(half),
          "Content-Type": OCTETS,
        }),
        body: new Uint8Array(video.subarray(half)),
      });
      expect(rest.status).toBe(204);
      expect(rest.headers.get("upload-offset")).toBe(String(video.length));
    });
    expect((await readFile(bytesFile(idOf(location)))).equals(video)).toBe(
      true
    );
  }, 120_000);

  it("answers 401 without sign-in, and takes the access-token cookie", async () => {
    expectErrorEnvelope(
      await api()
        .post(`${API}/uploads`)
        .set(TUS)
        .set("Upload-Length", "10")
        .set("Upload-Metadata", metadata({ kind: "video" })),
      401
    );
    const owner = await createUser();
    const location = await create(owner, 10);
    expectErrorEnvelope(
      await api()
        .patch(location)
        .set(TUS)
        .set("Upload-Offset", "0")
        .set("Content-Type", OCTETS)
        .send(Buffer.alloc(10)),
      401
    );
    const byCookie = await api()
      .head(location)
      .set("Cookie", `accessToken=${owner.accessToken}`)
      .set(TUS);
    expect(byCookie.status).toBe(200);
    expect(byCookie.headers["upload-offset"]).toBe("0");
  });

  it("answers 404 to anyone but the owner, for HEAD, PATCH and DELETE", async () => {
    const [owner, stranger] = [await createUser(), await createUser()];
    const location = await create(owner, 100);
    const asStranger = (request: ReturnType<ReturnType<typeof api>["head"]>) =>
      request.set("Authorization", stranger.bearer).set(TUS);
    expect((await asStranger(api().head(location))).status).toBe(404);
    const patched = await patch(stranger, location, 0, Buffer.alloc(100, 1));
    expect(patched.status).toBe(404);
    expect((await asStranger(api().delete(location))).status).toBe(404);
    // Untouched: the owner still has it, empty.
    expect(await offsetOf(owner, location)).toBe(0);
    expect((await stat(bytesFile(idOf(location)))).size).toBe(0);
    const deleted = await api()
      .delete(location)
      .set("Authorization", owner.bearer)
      .set(TUS);
    expect(deleted.status).toBe(204);
    expect(await ResumableUpload.exists({ _id: idOf(location) })).toBeNull();
    expect(await filesInUploadDir()).toEqual([]);
  });

  it("answers 409 to an Upload-Offset that is not the upload's, changing nothing", async () => {
    const owner = await createUser();
    const location = await create(owner, 100);
    expect((await patch(owner, location, 0, Buffer.alloc(40, 1))).status).toBe(
      204
    );
    const wrong = await patch(owner, location, 10, Buffer.alloc(20, 2));
    expect(wrong.status).toBe(409);
    expect(wrong.headers["tus-resumable"]).toBe("1.0.0");
    expect(await offsetOf(owner, location)).toBe(40);
  });

  it("refuses a body past the declared length (413), writing none of it", async () => {
    const owner = await createUser();
    const location = await create(owner, 100);
    const tooLong = await patch(owner, location, 0, Buffer.alloc(150, 1));
    expect(tooLong.status).toBe(413);
    expect(await offsetOf(owner, location)).toBe(0);
    expect((await stat(bytesFile(idOf(location)))).size).toBe(0);
  });

  it.each([
    ["image", config.uploads.maxImageBytes + 1],
    ["video", config.uploads.maxVideoBytes + 1],
  ] as const)(
    "refuses at creation an Upload-Length over the %s limit (413), recording nothing",
    async (kind, size) => {
      const owner = await createUser();
      const response = await api()
        .post(`${API}/uploads`)
        .set("Authorization", owner.bearer)
        .set(TUS)
        .set("Upload-Length", String(size))
        .set("Upload-Metadata", metadata({ kind }));
      expect(response.status).toBe(413);
      expect(response.headers.location).toBeUndefined();
      expect(await ResumableUpload.countDocuments({ owner: owner.id })).toBe(0);
      expect(await filesInUploadDir()).toEqual([]);
    }
  );

  it("refuses an upload that does not say what it is, or has no length (400)", async () => {
    const owner = await createUser();
    const unnamed = await api()
      .post(`${API}/uploads`)
      .set("Authorization", owner.bearer)
      .set(TUS)
      .set("Upload-Length", "10");
    expect(unnamed.status).toBe(400);
    const deferred = await api()
      .post(`${API}/uploads`)
      .set("Authorization", owner.bearer)
      .set(TUS)
      .set("Upload-Defer-Length", "1")
      .set("Upload-Metadata", metadata({ filetype: "video/mp4" }));
    expect(deferred.status).toBe(400);
    expect(await ResumableUpload.countDocuments({ owner: owner.id })).toBe(0);
  });

  it("bounds the uploads one user has in progress", async () => {
    const owner = await createUser();
    const locations: string[] = [];
    for (let i = 0; i < resumable.perUser; i++)
      locations.push(await create(owner, 10));
    const refused = await api()
      .post(`${API}/uploads`)
      .set("Authorization", owner.bearer)
      .set(TUS)
      .set("Upload-Length", "10")
      .set("Upload-Metadata", metadata({ kind: "video" }));
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(/uploads in progress/);
    // Another user is not concerned; a deleted upload frees its place.
    await create(await createUser(), 10);
    await api()
      .delete(locations[0] as string)
      .set("Authorization", owner.bearer)
      .set(TUS)
      .expect(204);
    await create(owner, 10);
  });

  it("deletes an upload that turns out not to be what it said (415 on its last byte)", async () => {
    const owner = await createUser();
    const png = pngBytes();
    const location = await create(owner, png.length, "video");
    const response = await patch(owner, location, 0, png);
    expect(response.status).toBe(415);
    expect(response.text).toMatch(/Unsupported video type/);
    expect(await ResumableUpload.exists({ _id: idOf(location) })).toBeNull();
    expect(await filesInUploadDir()).toEqual([]);
  });

  it("lets the expiry job delete abandoned uploads, bytes and all", async () => {
    const owner = await createUser();
    const location = await create(owner, 100);
    await patch(owner, location, 0, Buffer.alloc(50, 1)).expect(204);
    expect(await sweepExpiredUploads()).toBe(0);
    expect(await filesInUploadDir()).toHaveLength(2);

    const later = new Date(Date.now() + resumable.expiryMs + 1_000);
    expect(await sweepExpiredUploads(later)).toBe(1);
    expect(await filesInUploadDir()).toEqual([]);
    expect(await ResumableUpload.exists({ _id: idOf(location) })).toBeNull();
    const head = await api()
      .head(location)
      .set("Authorization", owner.bearer)
      .set(TUS);
    expect(head.status).toBe(404);
  });
});

describe("POST /videos from upload ids", () => {
  it("refuses an image upload as the video (415), storing nothing and keeping the uploads", async () => {
    const owner = await createUser();
    const imageId = await uploadWhole(owner, pngBytes(), "image");
    const thumbnailUploadId = await uploadWhole(owner, pngBytes(), "image");
    const before = await storedFiles();
    const body = expectErrorEnvelope(
      await publishFrom(owner, { videoUploadId: imageId, thumbnailUploadId }),
      415
    );
    expect(body.errors.map((error) => error.path)).toEqual(["videoUploadId"]);
    expect(await storedFiles()).toEqual(before);
    expect(await Video.countDocuments({ owner: owner.id })).toBe(0);
    const states = await ResumableUpload.find({ owner: owner.id }).lean();
    expect(states.map((upload) => upload.state)).toEqual([
      "complete",
      "complete",
    ]);
  });

  it("answers 404 for someone else's upload, storing nothing", async () => {
    const [owner, other] = [await createUser(), await createUser()];
    const videoUploadId = await uploadWhole(other, mp4Bytes(2), "video");
    const thumbnailUploadId = await uploadWhole(owner, pngBytes(), "image");
    const before = await storedFiles();
    const body = expectErrorEnvelope(
      await publishFrom(owner, { videoUploadId, thumbnailUploadId }),
      404
    );
    expect(body.errors.map((error) => error.path)).toEqual(["videoUploadId"]);
    expect(await storedFiles()).toEqual(before);
    // The other user can still publish theirs.
    const theirs = await publishFrom(other, {
      videoUploadId,
      thumbnailUploadId: await uploadWhole(other, pngBytes(), "image"),
    });
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
  });

  it("answers 409 for an upload used twice, and for one not finished", async () => {
    const owner = await createUser();
    const ids = {
      videoUploadId: await uploadWhole(owner, mp4Bytes(3), "video"),
      thumbnailUploadId: await uploadWhole(owner, pngBytes(), "image"),
    };
    expect((await publishFrom(owner, ids)).status).toBe(201);
    const stored = await storedFiles();
    const again = expectErrorEnvelope(await publishFrom(owner, ids), 409);
    expect(again.message).toMatch(/already used/);
    expect(await storedFiles()).toEqual(stored);
    expect(await Video.countDocuments({ owner: owner.id })).toBe(1);

    const unfinished = await create(owner, 1_000);
    const body = expectErrorEnvelope(
      await publishFrom(owner, {
        videoUploadId: idOf(unfinished),
        thumbnailUploadId: await uploadWhole(owner, pngBytes(), "image"),
      }),
      409
    );
    expect(body.message).toMatch(/not finished/);
    expect(await storedFiles()).toEqual(stored);
  });

  it("answers 400 for a JSON body without upload ids, and 401 without sign-in", async () => {
    const owner = await createUser();
    const body = expectErrorEnvelope(
      await api()
        .post(`${API}/videos`)
        .set("Authorization", owner.bearer)
        .send({ title: "t", description: "d", videoUploadId: "nope" }),
      400
    );
    expect(body.errors.map((error) => error.path).sort()).toEqual([
      "thumbnailUploadId",
      "videoUploadId",
    ]);
    expectErrorEnvelope(
      await api().post(`${API}/videos`).send({ title: "t", description: "d" }),
      401
    );
  });
});

describe("the typed client's resumable uploads (tus-js-client)", () => {
  it("sends in chunks with progress, goes on from a cut upload's offset, and publishes by id", async () => {
    const owner = await createUser();
    const baseUrl = `http://127.0.0.1:${port}`;
    const video = mp4Bytes(3, 200 * 1024);
    const sent: number[] = [];
    const videoUploadId = await uploadResumable(video, {
      baseUrl,
      kind: "video",
      accessToken: owner.accessToken,
      chunkSize: 64 * 1024,
      onProgress: (bytes) => sent.push(bytes),
    });
    expect(sent.at(-1)).toBe(video.length);

    // Half a thumbnail sent by hand, then the client takes over at its offset.
    const png = pngBytes();
    const location = await create(owner, png.length, "image");
    const half = Math.floor(png.length / 2);
    await patch(owner, location, 0, png.subarray(0, half)).expect(204);
    const thumbnailUploadId = await uploadResumable(png, {
      baseUrl,
      kind: "image",
      accessToken: owner.accessToken,
      resumeFrom: `${baseUrl}${location}`,
    });
    expect(thumbnailUploadId).toBe(idOf(location));

    const response = await publishFrom(owner, {
      videoUploadId,
      thumbnailUploadId,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const thumbnail = await readFile(
      path.join(
        storageDir,
        String(response.body.data.thumbnail).replace(/^\/uploads\//, "")
      )
    );
    expect(thumbnail.equals(png)).toBe(true);
  });

  it("rejects with the server's refusal, without retrying it", async () => {
    const owner = await createUser();
    const error = await uploadResumable(pngBytes(), {
      baseUrl: `http://127.0.0.1:${port}`,
      kind: "video",
      accessToken: owner.accessToken,
    }).then(
      () => undefined,
      (reason: unknown) => reason as DetailedError
    );
    expect(error?.originalResponse?.getStatus()).toBe(415);
  });
});
