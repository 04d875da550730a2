import { readdirSync } from "node:fs";
import net, { type AddressInfo, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOUD } from "../helpers/cloudinary-stand-in.js";
import type { RunningServer } from "../helpers/server-process.js";

// A Cloudinary that is not there: nothing listens on this port until the
// timeout cases put a server there that accepts and never answers.
const cloudPort = await new Promise<number>((resolve) => {
  const probe = net.createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as AddressInfo;
    probe.close(() => resolve(port));
  });
});
process.env.CLOUDINARY_CLOUD_NAME = CLOUD.cloudName;
process.env.CLOUDINARY_API_KEY = CLOUD.apiKey;
process.env.CLOUDINARY_API_SECRET = CLOUD.apiSecret;
process.env.CLOUDINARY_UPLOAD_PREFIX = `https://127.0.0.1:${cloudPort}`;
process.env.CLOUDINARY_TIMEOUT_MS = "1000";

// Everything that reads the config comes after the variables above.
const { config } = await import("../../src/config.js");
const { User } = await import("../../src/models/user.model.js");
const { Video } = await import("../../src/models/video.model.js");
const { createUser, createVideo } = await import("../helpers/factories.js");
const { answerOf, api, API, expectErrorEnvelope } =
  await import("../helpers/http.js");
const { expectEmptyDir, mp4Bytes, pngBytes, storedFiles } =
  await import("../helpers/media.js");
const { shellQuote, startServerWithMounts } =
  await import("../helpers/mount-namespace.js");
const { signInOn } = await import("../helpers/remote-user.js");
const { stopServer } = await import("../helpers/server-process.js");
const { avatarForm, publishForm } = await import("../helpers/traffic.js");

type Owner = Awaited<ReturnType<typeof createUser>>;
type VideoDoc = Awaited<ReturnType<typeof createVideo>>;

interface UploadCase {
  name: string;
  send: (
    owner: Owner,
    video: VideoDoc
  ) => ReturnType<ReturnType<typeof api>["post"]>;
  /** Throws when the failed request changed a record. */
  unchanged: (owner: Owner, video: VideoDoc) => Promise<void>;
}

let seq = 0;

/** The five ways a file gets in, each through the real route. */
const uploadCases: UploadCase[] = [
  {
    name: "register with an avatar",
    send: () =>
      api()
        .post(`${API}/users/register`)
        .field("fullName", "Storage Down")
        .field("username", `storage_down_${++seq}`)
        .field("email", `storage_down_${seq}@example.com`)
        .field("password", "correct horse battery")
        .attach("avatar", pngBytes(), "a.png"),
    unchanged: async () =>
      expect(
        await User.countDocuments({ username: `storage_down_${seq}` })
      ).toBe(0),
  },
  {
    name: "publish a video",
    send: (owner) =>
      api()
        .post(`${API}/videos`)
        .set("Authorization", owner.bearer)
        .field("title", "never stored")
        .field("description", "storage down")
        .attach("videoFile", mp4Bytes(2), "v.mp4")
        .attach("thumbnail", pngBytes(), "t.png"),
    unchanged: async () =>
      expect(await Video.countDocuments({ title: "never stored" })).toBe(0),
  },
  {
    name: "update the avatar",
    send: (owner) =>
      api()
        .patch(`${API}/users/avatar`)
        .set("Authorization", owner.bearer)
        .attach("avatar", pngBytes(), "a.png"),
    unchanged: async (owner) =>
      expect((await User.findById(owner.id).lean())?.avatar).toMatchObject({
        url: owner.user.avatar.url,
        publicId: owner.user.avatar.publicId,
      }),
  },
  {
    name: "update the cover image",
    send: (owner) =>
      api()
        .patch(`${API}/users/cover-image`)
        .set("Authorization", owner.bearer)
        .attach("coverImage", pngBytes(), "c.png"),
    unchanged: async (owner) =>
      expect((await User.findById(owner.id).lean())?.coverImage?.url).toBe(
        owner.user.coverImage?.url
      ),
  },
  {
    name: "update a thumbnail",
    send: (owner, video) =>
      api()
        .patch(`${API}/videos/${video.id}`)
        .set("Authorization", owner.bearer)
        .attach("thumbnail", pngBytes(), "t.png"),
    unchanged: async (_owner, video) =>
      expect((await Video.findById(video._id).lean())?.thumbnail).toMatchObject(
        { publicId: video.thumbnail.publicId }
      ),
  },
];

async function expectCleanFailure(
  upload: UploadCase,
  owner: Owner,
  video: VideoDoc
) {
  const response = await upload.send(owner, video);
  const body = expectErrorEnvelope(response, 502);
  expect(body.message).toMatch(/storage/i);
  await upload.unchanged(owner, video);
  await expectEmptyDir(config.uploads.tempDir);
}

describe("F2: Cloudinary is down", () => {
  let owner: Owner;
  let video: VideoDoc;
  beforeAll(async () => {
    owner = await createUser();
    video = await createVideo(owner);
  });

  it.each(uploadCases)(
    "refusing connections: $name answers 502 and changes nothing",
    async (upload) => expectCleanFailure(upload, owner, video)
  );

  describe("accepting connections and never answering", () => {
    const held = new Set<Socket>();
    const silent = net.createServer((socket) => {
      held.add(socket);
      socket.on("error", () => undefined);
    });
    beforeAll(
      () =>
        new Promise<void>((resolve) =>
          silent.listen(cloudPort, "127.0.0.1", resolve)
        )
    );
    afterAll(async () => {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it.each(uploadCases)(
      "$name answers 502 after CLOUDINARY_TIMEOUT_MS and changes nothing",
      async (upload) => {
        const started = Date.now();
        await expectCleanFailure(upload, owner, video);
        // One upload times out (1 s); the SDK's own 60 s would hang the client.
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(held.size).toBeGreaterThan(0);
      }
    );
  });
});

describe("F2: the local disk is read-only", () => {
  // A read-only bind of the storage folder in the server's own mount
  // namespace: the kernel refuses every write (EROFS), even as root, where
  // chmod would not.
  const storageDir = config.uploads.storageDir;
  const readOnlyStorage = [
    `mount --bind ${shellQuote(storageDir)} ${shellQuote(storageDir)}`,
    `mount -o remount,bind,ro ${shellQuote(storageDir)}`,
  ].join("\n");
  let server: RunningServer;
  let owner: Owner;
  let bearer: string;

  beforeAll(async () => {
    owner = await createUser();
    // The database and the folders are this file's (tests/setup/per-file.ts).
    server = await startServerWithMounts(readOnlyStorage, storageDir, {
      NODE_ENV: "test",
      CLOUDINARY_CLOUD_NAME: "",
      CLOUDINARY_API_KEY: "",
      CLOUDINARY_API_SECRET: "",
      CLOUDINARY_UPLOAD_PREFIX: "",
    });
    bearer = await signInOn(server.url, owner);
  }, 60_000);

  afterAll(async () => {
    await stopServer(server);
  });

  it("answers a publish with 502 and keeps no record, stored file or temp file", async () => {
    const response = await fetch(`${server.url}/api/v1/videos`, {
      method: "POST",
      headers: { Authorization: bearer },
      body: publishForm({
        title: "read-only disk",
        description: "storage down",
      }),
    });
    expectErrorEnvelope(await answerOf(response), 502);
    expect(await Video.countDocuments({ title: "read-only disk" })).toBe(0);
    expect(await storedFiles()).toEqual([]);
    await expectEmptyDir(config.uploads.tempDir);
    expect(readdirSync(storageDir)).toEqual([]);
  });

  it("answers an avatar update with 502 and keeps the old avatar", async () => {
    const response = await fetch(`${server.url}/api/v1/users/avatar`, {
      method: "PATCH",
      headers: { Authorization: bearer },
      body: avatarForm(),
    });
    expect(response.status).toBe(502);
    expect((await User.findById(owner.id).lean())?.avatar).toMatchObject({
      url: owner.user.avatar.url,
      publicId: owner.user.avatar.publicId,
    });
    await expectEmptyDir(config.uploads.tempDir);
    expect(await storedFiles()).toEqual([]);
  });
});
