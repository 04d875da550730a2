// Defects found in review, each pinned by a test that failed before its fix.
import { describe, expect, it } from "vitest";
import { config } from "../src/config.js";
import { Session } from "../src/models/session.model.js";
import { Video } from "../src/models/video.model.js";
import { recordWatch } from "../src/services/history.service.js";
import {
  createUser,
  createVideo,
  DEFAULT_PASSWORD,
} from "./helpers/factories.js";
import { api, API, expectErrorEnvelope } from "./helpers/http.js";
import { fetchDocument, operationsOf } from "./helpers/openapiDocument.js";
import { badAccessTokens } from "./helpers/tokens.js";
import {
  expectEmptyDir,
  jpegBytes,
  pngBytes,
  storedFiles,
} from "./helpers/media.js";

describe("one document written by concurrent requests (FerretDB does not isolate them)", () => {
  it("keeps an unpublish that races with views being counted", async () => {
    const owner = await createUser();
    const viewers = await Promise.all(
      Array.from({ length: 8 }, () => createUser())
    );
    for (let trial = 0; trial < 10; trial++) {
      const video = await createVideo(owner);
      const url = `${API}/videos/${String(video._id)}`;
      const [toggle] = await Promise.all([
        api()
          .patch(`${API}/videos/toggle/publish/${String(video._id)}`)
          .set("Authorization", owner.bearer),
        ...viewers.map((viewer) =>
          api().get(url).set("Authorization", viewer.bearer)
        ),
      ]);
      expect(toggle.body.data).toEqual({ isPublished: false });
      expect((await api().get(url)).status).toBe(404);
    }
  });

  it("flips twice for two toggles at once", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const toggle = () =>
      api()
        .patch(`${API}/videos/toggle/publish/${String(video._id)}`)
        .set("Authorization", owner.bearer);
    const answers = await Promise.all([toggle(), toggle()]);
    expect(
      answers.map((answer) => answer.body.data.isPublished).sort()
    ).toEqual([false, true]);
    expect((await Video.findById(video._id))?.isPublished).toBe(true);
  });

  it("leaves exactly one stored avatar after concurrent replacements", async () => {
    const tag = Date.now().toString(36);
    const registered = await api()
      .post(`${API}/users/register`)
      .field("fullName", "Avatar Racer")
      .field("email", `racer_${tag}@example.com`)
      .field("username", `racer_${tag}`)
      .field("password", DEFAULT_PASSWORD)
      .attach("avatar", pngBytes(), {
        filename: "a.png",
        contentType: "image/png",
      });
    expect(registered.status).toBe(201);
    const login = await api()
      .post(`${API}/users/login`)
      .send({ username: `racer_${tag}`, password: DEFAULT_PASSWORD });
    const bearer = `Bearer ${login.body.data.accessToken}`;
    const before = await storedFiles();
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        api()
          .patch(`${API}/users/avatar`)
          .set("Authorization", bearer)
          .attach("avatar", jpegBytes(), {
            filename: "b.jpg",
            contentType: "image/jpeg",
          })
      )
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const after = await storedFiles();
    expect(after.length).toBe(before.length);
    const current = await api()
      .get(`${API}/users/current-user`)
      .set("Authorization", bearer);
    expect(after).toContain(current.body.data.avatar.replace("/uploads/", ""));
    await expectEmptyDir(config.uploads.tempDir);
  });
});

describe("ids compared as strings", () => {
  it("refuses a subscription to yourself with your id in upper case", async () => {
    const alice = await createUser();
    const response = await api()
      .post(`${API}/subscriptions/c/${alice.id.toUpperCase()}`)
      .set("Authorization", alice.bearer);
    expectErrorEnvelope(response, 400);
  });

  it("shows the owner their unpublished videos with userId in upper case", async () => {
    const owner = await createUser();
    await createVideo(owner, { isPublished: false });
    const response = await api()
      .get(`${API}/videos?userId=${owner.id.toUpperCase()}`)
      .set("Authorization", owner.bearer);
    expect(response.body.data.totalDocs).toBe(1);
  });
});

describe("a video whose delete has started", () => {
  it("takes no new comment or like, even from its owner", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    await Video.updateOne(
      { _id: video._id },
      { $set: { isPublished: false, deletingAt: new Date() } }
    );
    const comment = await api()
      .post(`${API}/comments/${String(video._id)}`)
      .set("Authorization", owner.bearer)
      .send({ content: "too late" });
    expectErrorEnvelope(comment, 404);
    const like = await api()
      .post(`${API}/likes/toggle/v/${String(video._id)}`)
      .set("Authorization", owner.bearer);
    expectErrorEnvelope(like, 404);
  });
});

describe("watch history pages", () => {
  it("count only the videos the user may still see", async () => {
    const [viewer, creator] = [await createUser(), await createUser()];
    const shown = await createVideo(creator);
    const hidden = await createVideo(creator);
    await recordWatch(viewer.id, String(shown._id));
    await recordWatch(viewer.id, String(hidden._id));
    await Video.updateOne(
      { _id: hidden._id },
      { $set: { isPublished: false } }
    );
    const response = await api()
      .get(`${API}/users/history?limit=1`)
      .set("Authorization", viewer.bearer);
    expect(response.body.data).toMatchObject({
      totalDocs: 1,
      totalPages: 1,
      hasNextPage: false,
    });
    expect(
      response.body.data.docs.map((video: { _id: string }) => video._id)
    ).toEqual([String(shown._id)]);
  });
});

describe("sessions and credentials", () => {
  it("prefers the Bearer header to a stale access-token cookie", async () => {
    const [stale, fresh] = [await createUser(), await createUser()];
    await api().post(`${API}/users/logout`).set("Authorization", stale.bearer);
    const response = await api()
      .get(`${API}/users/current-user`)
      .set("Cookie", `accessToken=${stale.accessToken}`)
      .set("Authorization", fresh.bearer);
    expect(response.status).toBe(200);
    expect(response.body.data._id).toBe(fresh.id);
  });

  it("counts failed logins by email and by username against one account", async () => {
    const alice = await createUser();
    const limit = config.rateLimits.loginFailuresPerAccount;
    let attempts = 0;
    let status = 0;
    while (status !== 429 && attempts < limit * 2) {
      const identity =
        attempts % 2 === 0
          ? { email: alice.user.email }
          : { username: alice.user.username };
      status = (
        await api()
          .post(`${API}/users/login`)
          .send({ ...identity, password: "wrong password" })
      ).status;
      attempts++;
    }
    expect(status).toBe(429);
    expect(attempts).toBe(limit + 1);
  });
});

describe("what an SPA needs from a 401", () => {
  it("answers 401 on a public endpoint for a token that does not work, telling expired from revoked", async () => {
    const owner = await createUser();
    const hidden = await createVideo(owner, { isPublished: false });
    const url = `${API}/videos/${String(hidden._id)}`;
    const { expired } = badAccessTokens(owner);
    const stale = await api()
      .get(url)
      .set("Authorization", `Bearer ${expired}`);
    expect(expectErrorEnvelope(stale, 401).message).toMatch(/expired/i);
    expect(stale.headers["www-authenticate"]).toContain(
      'error_description="expired"'
    );
    expect(
      (await api().get(url).set("Authorization", owner.bearer)).status
    ).toBe(200);
    await api().post(`${API}/users/logout`).set("Authorization", owner.bearer);
    const revoked = await api().get(url).set("Authorization", owner.bearer);
    expect(expectErrorEnvelope(revoked, 401).message).toMatch(/sign in again/i);
    const anonymous = await api().get(`${API}/videos`);
    expect(anonymous.status).toBe(200);
  });

  it("documents that 401 on every public endpoint that reads a token", async () => {
    const readingATokenIfSent = operationsOf(await fetchDocument()).filter(
      ({ operation }) =>
        operation.security?.some((scheme) => Object.keys(scheme).length === 0)
    );
    expect(readingATokenIfSent.length).toBeGreaterThan(5);
    expect(
      readingATokenIfSent
        .filter(({ operation }) => !("401" in operation.responses))
        .map(({ key }) => key)
    ).toEqual([]);
  });

  it("signs out with the refresh token once the access token has expired", async () => {
    const alice = await createUser();
    const { expired } = badAccessTokens(alice);
    const response = await api()
      .post(`${API}/users/logout`)
      .set("Cookie", [
        `accessToken=${expired}`,
        `refreshToken=${alice.refreshToken}`,
      ]);
    expect(response.status).toBe(200);
    expect(String(response.headers["set-cookie"])).toMatch(
      /refreshToken=;.*Expires=Thu, 01 Jan 1970/
    );
    expect(await Session.exists({ _id: alice.sessionId })).toBeNull();
    const refresh = await api()
      .post(`${API}/users/refresh-token`)
      .send({ refreshToken: alice.refreshToken });
    expect(refresh.status).toBe(401);
  });

  it("documents that logout needs no access token when the refresh token comes along", async () => {
    const alice = await createUser();
    const response = await api()
      .post(`${API}/users/logout`)
      .set("Authorization", "Bearer not-a-token")
      .send({ refreshToken: alice.refreshToken });
    expect(response.status).toBe(200);
    expect(await Session.exists({ _id: alice.sessionId })).toBeNull();
    const document = await fetchDocument();
    const logout = document.paths[`${API}/users/logout`]?.post;
    expect(logout?.security).toContainEqual({});
  });

  it("clears the cookies even when logout has nothing to end", async () => {
    const response = await api()
      .post(`${API}/users/logout`)
      .set("Cookie", "accessToken=garbage");
    expectErrorEnvelope(response, 401);
    expect(String(response.headers["set-cookie"])).toMatch(/accessToken=;/);
  });

  it("lets browser code read Retry-After, RateLimit and X-Request-Id", async () => {
    const response = await api()
      .get(`${API}/healthcheck`)
      .set("Origin", "http://localhost:5173");
    const exposed = String(response.headers["access-control-expose-headers"]);
    for (const header of [
      "Retry-After",
      "RateLimit",
      "X-Request-Id",
      "WWW-Authenticate",
    ]) {
      expect(exposed).toContain(header);
    }
  });

  it("keeps the API docs loadable over plain http outside production", async () => {
    const response = await api().get("/api-docs/");
    expect(response.headers["content-security-policy"]).not.toContain(
      "upgrade-insecure-requests"
    );
    expect(response.headers["strict-transport-security"]).toBeUndefined();
  });
});
