import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { config } from "../../src/config.js";
import { User } from "../../src/models/user.model.js";
import { Video } from "../../src/models/video.model.js";
import { createUser, type TestUser } from "../helpers/factories.js";
import { answerOf, expectErrorEnvelope } from "../helpers/http.js";
import { mp4Bytes, pngBytes, storedFiles } from "../helpers/media.js";
import {
  seenBy,
  shellQuote,
  startServerWithMounts,
} from "../helpers/mount-namespace.js";
import { signInOn } from "../helpers/remote-user.js";
import { stopServer, type RunningServer } from "../helpers/server-process.js";
import { avatarForm, publishForm } from "../helpers/traffic.js";

// A real full disk: the temp folder is a 1 MB tmpfs in the server's own
// mount namespace, so a 2 MB upload meets ENOSPC from the kernel.
const tempDir = config.uploads.tempDir;
const smallTempDir = `mount -t tmpfs -o size=1m tmpfs ${shellQuote(tempDir)}`;
const MB = 1024 * 1024;

let server: RunningServer;
let owner: TestUser;
let bearer: string;

/**
 * Temp files go when the response closes, just after the answer. Read
 * through the server's namespace; an unreadable folder fails the test.
 */
const expectNoTempFile = () =>
  vi.waitFor(
    async () =>
      expect(
        await readdir(seenBy(server.child.pid as number, tempDir))
      ).toEqual([]),
    { timeout: 3_000, interval: 25 }
  );

const publish = (videoBytes: Buffer, title: string) =>
  fetch(`${server.url}/api/v1/videos`, {
    method: "POST",
    headers: { Authorization: bearer },
    body: publishForm({ title, description: "disk full test" }, videoBytes),
  });

beforeAll(async () => {
  owner = await createUser();
  // The database and the folders are this file's (tests/setup/per-file.ts).
  server = await startServerWithMounts(smallTempDir, tempDir, {
    // Not development, where a 5xx carries its stack for the developer.
    NODE_ENV: "test",
  });
  bearer = await signInOn(server.url, owner);
}, 60_000);

afterAll(async () => {
  await stopServer(server);
});

describe("F4: the temp folder's disk is full", () => {
  it("answers a publish that does not fit with 507 and keeps no temp file, record or stored file", async () => {
    const answer = await answerOf(await publish(mp4Bytes(3, 2 * MB), "big"));
    expectErrorEnvelope(answer, 507);
    await expectNoTempFile();
    expect(await Video.countDocuments({ title: "big" })).toBe(0);
    expect(await storedFiles()).toEqual([]);
  });

  it("answers an avatar that does not fit with 507 and keeps the old avatar", async () => {
    const bigImage = Buffer.concat([pngBytes(), Buffer.alloc(2 * MB)]);
    const answer = await answerOf(
      await fetch(`${server.url}/api/v1/users/avatar`, {
        method: "PATCH",
        headers: { Authorization: bearer },
        body: avatarForm(bigImage),
      })
    );
    expectErrorEnvelope(answer, 507);
    await expectNoTempFile();
    const stored = await User.findById(owner.id).lean();
    expect(stored?.avatar.publicId).toBe(owner.user.avatar.publicId);
    expect(await storedFiles()).toEqual([]);
  });

  it("takes an upload that fits once the failed ones are gone: nothing half-written holds the space", async () => {
    const response = await publish(mp4Bytes(3, 700 * 1024), "fits");
    expect(response.status, JSON.stringify(await response.clone().json())).toBe(
      201
    );
    await expectNoTempFile();
    const video = await Video.findOne({ title: "fits" }).lean();
    expect(await storedFiles()).toEqual(
      [video?.videoFile.publicId, video?.thumbnail.publicId].sort()
    );
  });
});
