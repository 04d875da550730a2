import { afterEach, describe, expect, it, vi } from "vitest";
import { config } from "../src/config.js";
import { User } from "../src/models/user.model.js";
import { StorageError } from "../src/utils/storage/errors.js";
import { storage } from "../src/utils/storage/index.js";
import { createUser } from "./helpers/factories.js";
import { api, API, expectErrorEnvelope } from "./helpers/http.js";
import { newAccount, register } from "./helpers/registration.js";
import {
  expectEmptyDir,
  jpegBytes,
  pngBytes,
  storedFiles,
} from "./helpers/media.js";

describe("POST /users/register", () => {
  afterEach(async () => {
    vi.restoreAllMocks();
    await expectEmptyDir(config.uploads.tempDir);
  });

  it("creates the user with avatar and cover image, and answers 201 with email, no password", async () => {
    const account = newAccount();
    const before = await storedFiles();
    const response = await register(
      {
        ...account,
        username: account.username.toUpperCase(),
        email: account.email.toUpperCase(),
      },
      { avatar: true, coverImage: true }
    );
    expect(response.status).toBe(201);
    expect(response.body.data).toMatchObject({
      username: account.username,
      email: account.email,
      fullName: account.fullName,
    });
    expect(response.body.data.avatar).toMatch(
      /^\/uploads\/image\/[0-9a-f]+\.png$/
    );
    expect(response.body.data.coverImage).toMatch(
      /^\/uploads\/image\/[0-9a-f]+\.jpg$/
    );
    expect(JSON.stringify(response.body)).not.toMatch(/password|publicId/);
    expect((await storedFiles()).length).toBe(before.length + 2);
    const avatar = await api().get(response.body.data.avatar);
    expect(avatar.status).toBe(200);
    expect(avatar.headers["content-type"]).toBe("image/png");
    const login = await api()
      .post(`${API}/users/login`)
      .send({ email: account.email, password: account.password });
    expect(login.status).toBe(200);
  });

  it("accepts the course's `fullname` spelling", async () => {
    const { fullName, ...rest } = newAccount();
    const response = await register({ ...rest, fullname: fullName });
    expect(response.status).toBe(201);
    expect(response.body.data.fullName).toBe(fullName);
  });

  it("answers 409 for a taken username or email in any letter case, storing nothing", async () => {
    const existing = await createUser();
    const before = await storedFiles();
    const sameName = await register({
      ...newAccount(),
      username: existing.user.username.toUpperCase(),
    });
    expect(
      expectErrorEnvelope(sameName, 409).errors.map((e) => e.path)
    ).toEqual(["username"]);
    const sameEmail = await register({
      ...newAccount(),
      email: existing.user.email.toUpperCase(),
    });
    expect(
      expectErrorEnvelope(sameEmail, 409).errors.map((e) => e.path)
    ).toEqual(["email"]);
    expect(await storedFiles()).toEqual(before);
  });

  it("lets only one of two concurrent registrations of one username through, leaving no stored file for the other", async () => {
    const account = newAccount();
    const before = await storedFiles();
    const answers = await Promise.all([
      register(account),
      register({ ...newAccount(), username: account.username }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect(await User.countDocuments({ username: account.username })).toBe(1);
    expect((await storedFiles()).length).toBe(before.length + 1);
  });

  it("removes the stored files when the user cannot be saved", async () => {
    const before = await storedFiles();
    vi.spyOn(User, "create").mockRejectedValueOnce(
      new Error("database write failed")
    );
    const response = await register(newAccount(), {
      avatar: true,
      coverImage: true,
    });
    expectErrorEnvelope(response, 500);
    expect(await storedFiles()).toEqual(before);
  });

  it("answers 502 when storage fails, with nothing stored and no user", async () => {
    const account = newAccount();
    const before = await storedFiles();
    const put = storage.put.bind(storage);
    let calls = 0;
    vi.spyOn(storage, "put").mockImplementation(async (localPath, kind) => {
      calls += 1;
      if (calls === 2) throw new StorageError("storage is down");
      return put(localPath, kind);
    });
    const response = await register(account, {
      avatar: true,
      coverImage: true,
    });
    expectErrorEnvelope(response, 502);
    expect(await storedFiles()).toEqual(before);
    expect(await User.exists({ username: account.username })).toBeNull();
  });

  it("answers 400 without an avatar", async () => {
    const response = await register(newAccount(), {});
    expect(
      expectErrorEnvelope(response, 400).errors.map((e) => e.path)
    ).toContain("avatar");
  });

  it("answers 400 for a JSON registration (an avatar file is required)", async () => {
    const response = await api()
      .post(`${API}/users/register`)
      .send(newAccount());
    expectErrorEnvelope(response, 400);
  });
});

describe("PATCH /users/avatar and /users/cover-image", () => {
  afterEach(async () => {
    await expectEmptyDir(config.uploads.tempDir);
  });

  it.each(["avatar", "coverImage"] as const)(
    "replaces the %s and deletes the old file after saving",
    async (field) => {
      const account = newAccount();
      const created = await register(account, {
        avatar: true,
        coverImage: true,
      });
      const login = await api()
        .post(`${API}/users/login`)
        .send({ email: account.email, password: account.password });
      const bearer = `Bearer ${login.body.data.accessToken}`;
      const oldUrl: string = created.body.data[field];
      const path = field === "avatar" ? "avatar" : "cover-image";
      const response = await api()
        .patch(`${API}/users/${path}`)
        .set("Authorization", bearer)
        .attach(field, jpegBytes(), {
          filename: "new.jpg",
          contentType: "image/jpeg",
        });
      expect(response.status).toBe(200);
      expect(response.body.data[field]).not.toBe(oldUrl);
      expect((await api().get(oldUrl)).status).toBe(404);
      expect((await api().get(response.body.data[field])).status).toBe(200);
    }
  );

  it("keeps the old avatar when storing the new one fails", async () => {
    const account = newAccount();
    const created = await register(account);
    const login = await api()
      .post(`${API}/users/login`)
      .send({ email: account.email, password: account.password });
    vi.spyOn(storage, "put").mockRejectedValueOnce(new StorageError("down"));
    const response = await api()
      .patch(`${API}/users/avatar`)
      .set("Authorization", `Bearer ${login.body.data.accessToken}`)
      .attach("avatar", pngBytes(), {
        filename: "new.png",
        contentType: "image/png",
      });
    expectErrorEnvelope(response, 502);
    vi.restoreAllMocks();
    expect((await api().get(created.body.data.avatar)).status).toBe(200);
  });

  it("answers 401 without a token and 400 without a file", async () => {
    const alice = await createUser();
    expectErrorEnvelope(
      await api().patch(`${API}/users/avatar`).attach("avatar", pngBytes(), {
        filename: "a.png",
        contentType: "image/png",
      }),
      401
    );
    expectErrorEnvelope(
      await api()
        .patch(`${API}/users/cover-image`)
        .set("Authorization", alice.bearer),
      400
    );
  });

  it("answers 415 for a file that is not an image", async () => {
    const alice = await createUser();
    const response = await api()
      .patch(`${API}/users/avatar`)
      .set("Authorization", alice.bearer)
      .attach("avatar", Buffer.from("#!/bin/sh\necho owned\n"), {
        filename: "evil.png",
        contentType: "image/png",
      });
    expectErrorEnvelope(response, 415);
  });
});
