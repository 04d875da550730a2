import type { ValidateFunction } from "ajv/dist/2020.js";
import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config } from "../src/config.js";
import {
  createComment,
  createLike,
  createPlaylist,
  createSubscription,
  createTweet,
} from "./helpers/content.factories.js";
import { createUser, createVideo, type TestUser } from "./helpers/factories.js";
import { API, api } from "./helpers/http.js";
import { attachVideoFiles, expectEmptyDir, pngBytes } from "./helpers/media.js";
import {
  closedValidator,
  fetchDocument,
  operationsOf,
  successOf,
  type OpenApiDocument,
} from "./helpers/openapiDocument.js";

/**
 * Every operation of the API document, called once for real, its success
 * answer validated against the schema the document gives for it. Objects
 * are checked closed (no field the document does not list), so an answer
 * cannot carry an undocumented field (a password hash, an email) unnoticed.
 */

let alice: TestUser;
let bob: TestUser;
let videoId: string;
let commentId: string;
let tweetId: string;
let playlistId: string;
let document: OpenApiDocument;
const validators = new Map<string, ValidateFunction>();

beforeAll(async () => {
  document = await fetchDocument();
  const compile = closedValidator(document);
  for (const { key, operation } of operationsOf(document)) {
    const success = successOf(operation);
    const schema = success?.media?.schema;
    if (!success || !schema) continue;
    validators.set(`${key} ${success.status}`, compile(schema));
  }

  alice = await createUser();
  bob = await createUser();
  const video = await createVideo(alice);
  videoId = String(video._id);
  commentId = String((await createComment(bob, video))._id);
  tweetId = String((await createTweet(alice))._id);
  playlistId = String((await createPlaylist(alice, { videos: [video] }))._id);
  await createSubscription(bob, alice);
  await createLike(bob, "video", video);
  // bob watches alice's video, so his history has an entry.
  await api().get(`${API}/videos/${videoId}`).set("Authorization", bob.bearer);
});

afterAll(async () => {
  await expectEmptyDir(config.uploads.tempDir);
});

const asAlice = (request: ReturnType<ReturnType<typeof api>["get"]>) =>
  request.set("Authorization", alice.bearer);

const image =
  (field: string) => (request: ReturnType<ReturnType<typeof api>["post"]>) =>
    request.attach(field, pngBytes(), {
      filename: "a.png",
      contentType: "image/png",
    });

/** How to call each documented operation successfully: `METHOD /path` → the request. */
const RECIPES: Record<string, () => Promise<Response>> = {
  "GET /api/v1/healthcheck": async () => api().get(`${API}/healthcheck`),

  "POST /api/v1/users/register": async () =>
    image("avatar")(
      api()
        .post(`${API}/users/register`)
        .field("fullName", "New Person")
        .field("email", `new${Date.now()}@example.com`)
        .field("username", `new${Date.now()}`)
        .field("password", "correct horse battery")
    ),
  "POST /api/v1/users/login": async () =>
    api()
      .post(`${API}/users/login`)
      .send({ username: alice.user.username, password: alice.password }),
  "POST /api/v1/users/logout": async () => {
    const someone = await createUser();
    return api()
      .post(`${API}/users/logout`)
      .set("Authorization", someone.bearer);
  },
  "POST /api/v1/users/refresh-token": async () => {
    const someone = await createUser();
    return api()
      .post(`${API}/users/refresh-token`)
      .send({ refreshToken: someone.refreshToken });
  },
  "POST /api/v1/users/change-password": async () => {
    const someone = await createUser();
    return api()
      .post(`${API}/users/change-password`)
      .set("Authorization", someone.bearer)
      .send({
        oldPassword: someone.password,
        newPassword: "a new long password",
      });
  },
  "GET /api/v1/users/current-user": async () =>
    asAlice(api().get(`${API}/users/current-user`)),
  "PATCH /api/v1/users/update-account": async () =>
    api()
      .patch(`${API}/users/update-account`)
      .set("Authorization", alice.bearer)
      .send({ fullName: "Alice Renamed" }),
  "PATCH /api/v1/users/avatar": async () =>
    image("avatar")(
      api().patch(`${API}/users/avatar`).set("Authorization", alice.bearer)
    ),
  "PATCH /api/v1/users/cover-image": async () =>
    image("coverImage")(
      api().patch(`${API}/users/cover-image`).set("Authorization", alice.bearer)
    ),
  "GET /api/v1/users/c/{username}": async () =>
    api()
      .get(`${API}/users/c/${alice.user.username}`)
      .set("Authorization", bob.bearer),
  "GET /api/v1/users/history": async () =>
    api().get(`${API}/users/history`).set("Authorization", bob.bearer),

  "GET /api/v1/videos": async () => api().get(`${API}/videos?query=Video`),
  "POST /api/v1/videos": async () =>
    attachVideoFiles(
      api()
        .post(`${API}/videos`)
        .set("Authorization", alice.bearer)
        .field("title", "Published here")
        .field("description", "From the contract test")
    ),
  "GET /api/v1/videos/{videoId}": async () =>
    api().get(`${API}/videos/${videoId}`).set("Authorization", bob.bearer),
  "PATCH /api/v1/videos/{videoId}": async () =>
    api()
      .patch(`${API}/videos/${videoId}`)
      .set("Authorization", alice.bearer)
      .send({ title: "Retitled" }),
  "DELETE /api/v1/videos/{videoId}": async () => {
    const doomed = await createVideo(alice);
    return api()
      .delete(`${API}/videos/${String(doomed._id)}`)
      .set("Authorization", alice.bearer);
  },
  "PATCH /api/v1/videos/toggle/publish/{videoId}": async () => {
    const draft = await createVideo(alice);
    return api()
      .patch(`${API}/videos/toggle/publish/${String(draft._id)}`)
      .set("Authorization", alice.bearer);
  },

  "GET /api/v1/comments/{videoId}": async () =>
    api().get(`${API}/comments/${videoId}`).set("Authorization", alice.bearer),
  "POST /api/v1/comments/{videoId}": async () =>
    api()
      .post(`${API}/comments/${videoId}`)
      .set("Authorization", alice.bearer)
      .send({ content: "Thanks for watching" }),
  "PATCH /api/v1/comments/c/{commentId}": async () =>
    api()
      .patch(`${API}/comments/c/${commentId}`)
      .set("Authorization", bob.bearer)
      .send({ content: "Edited" }),
  "DELETE /api/v1/comments/c/{commentId}": async () => {
    const doomed = await createComment(bob, { id: videoId });
    return api()
      .delete(`${API}/comments/c/${String(doomed._id)}`)
      .set("Authorization", bob.bearer);
  },

  "POST /api/v1/likes/toggle/v/{videoId}": async () =>
    api()
      .post(`${API}/likes/toggle/v/${videoId}`)
      .set("Authorization", alice.bearer),
  "POST /api/v1/likes/toggle/c/{commentId}": async () =>
    api()
      .post(`${API}/likes/toggle/c/${commentId}`)
      .set("Authorization", alice.bearer),
  "POST /api/v1/likes/toggle/t/{tweetId}": async () =>
    api()
      .post(`${API}/likes/toggle/t/${tweetId}`)
      .set("Authorization", bob.bearer),
  "GET /api/v1/likes/videos": async () =>
    api().get(`${API}/likes/videos`).set("Authorization", bob.bearer),

  "POST /api/v1/subscriptions/c/{channelId}": async () => {
    const someone = await createUser();
    return api()
      .post(`${API}/subscriptions/c/${alice.id}`)
      .set("Authorization", someone.bearer);
  },
  "GET /api/v1/subscriptions/c/{channelId}": async () =>
    api()
      .get(`${API}/subscriptions/c/${alice.id}`)
      .set("Authorization", bob.bearer),
  "GET /api/v1/subscriptions/u/{subscriberId}": async () =>
    api()
      .get(`${API}/subscriptions/u/${bob.id}`)
      .set("Authorization", alice.bearer),

  "POST /api/v1/tweets": async () =>
    api()
      .post(`${API}/tweets`)
      .set("Authorization", alice.bearer)
      .send({ content: "Hello" }),
  "GET /api/v1/tweets/user/{userId}": async () =>
    api()
      .get(`${API}/tweets/user/${alice.id}`)
      .set("Authorization", bob.bearer),
  "PATCH /api/v1/tweets/{tweetId}": async () =>
    api()
      .patch(`${API}/tweets/${tweetId}`)
      .set("Authorization", alice.bearer)
      .send({ content: "Hello again" }),
  "DELETE /api/v1/tweets/{tweetId}": async () => {
    const doomed = await createTweet(alice);
    return api()
      .delete(`${API}/tweets/${String(doomed._id)}`)
      .set("Authorization", alice.bearer);
  },

  "POST /api/v1/playlist": async () =>
    api()
      .post(`${API}/playlist`)
      .set("Authorization", alice.bearer)
      .send({ name: "Later", description: "To watch" }),
  "GET /api/v1/playlist/user/{userId}": async () =>
    api()
      .get(`${API}/playlist/user/${alice.id}`)
      .set("Authorization", bob.bearer),
  "GET /api/v1/playlist/{playlistId}": async () =>
    api().get(`${API}/playlist/${playlistId}`).set("Authorization", bob.bearer),
  "PATCH /api/v1/playlist/{playlistId}": async () =>
    api()
      .patch(`${API}/playlist/${playlistId}`)
      .set("Authorization", alice.bearer)
      .send({ name: "Renamed" }),
  "DELETE /api/v1/playlist/{playlistId}": async () => {
    const doomed = await createPlaylist(alice);
    return api()
      .delete(`${API}/playlist/${String(doomed._id)}`)
      .set("Authorization", alice.bearer);
  },
  "PATCH /api/v1/playlist/add/{videoId}/{playlistId}": async () =>
    api()
      .patch(`${API}/playlist/add/${videoId}/${playlistId}`)
      .set("Authorization", alice.bearer),
  "PATCH /api/v1/playlist/remove/{videoId}/{playlistId}": async () =>
    api()
      .patch(`${API}/playlist/remove/${videoId}/${playlistId}`)
      .set("Authorization", alice.bearer),

  "GET /api/v1/dashboard/stats": async () =>
    api().get(`${API}/dashboard/stats`).set("Authorization", alice.bearer),
  "GET /api/v1/dashboard/videos": async () =>
    api().get(`${API}/dashboard/videos`).set("Authorization", alice.bearer),
};

describe("every documented operation answers what the document says", () => {
  it("has a recipe for each documented operation, and documents each recipe", () => {
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map(
          (method) => `${method.toUpperCase()} ${path}`
        )
      )
      .sort();
    expect(Object.keys(RECIPES).sort()).toEqual(documented);
  });

  it.each(Object.keys(RECIPES))("%s", async (operation) => {
    const recipe = RECIPES[operation] as () => Promise<Response>;
    const response = await recipe();
    const key = `${operation} ${response.status}`;
    const validate = validators.get(key);
    expect(
      validate,
      `${key}: not the documented success status: ${JSON.stringify(response.body)}`
    ).toBeDefined();
    const valid = validate?.(response.body);
    expect(
      valid,
      JSON.stringify({ errors: validate?.errors, body: response.body }, null, 1)
    ).toBe(true);
  });
});
