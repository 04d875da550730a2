import { beforeAll, describe, expect, it } from "vitest";
import { Playlist } from "../src/models/playlist.model.js";
import { createPlaylist } from "./helpers/content.factories.js";
import { createUser, createVideo, type TestUser } from "./helpers/factories.js";
import { expectFieldError } from "./helpers/assertions.js";
import {
  BAD_ID_VALUES,
  badOptionalText,
  badRequiredText,
} from "./helpers/bad-inputs.js";
import { API, api, expectErrorEnvelope } from "./helpers/http.js";

const P = `${API}/playlist`;
// A rename may leave the name out, so "missing" is not bad here.
const BAD_NAMES = badRequiredText(100).filter(([why]) => why !== "missing");
const BAD_DESCRIPTIONS = badOptionalText(1000);

let alice: TestUser;
let playlistId: string;
let videoId: string;

beforeAll(async () => {
  alice = await createUser();
  videoId = String((await createVideo(alice))._id);
  playlistId = String(
    (await createPlaylist(alice, { name: "Kept", description: "Same" }))._id
  );
});

const expectUnchanged = async () =>
  expect(await Playlist.findById(playlistId).lean()).toMatchObject({
    name: "Kept",
    description: "Same",
    videos: [],
  });

describe("playlists: bad input answers 400", () => {
  it("POST / without a name", async () => {
    const res = await api()
      .post(`${P}/`)
      .set("Authorization", alice.bearer)
      .send({ description: "no name" });
    expectFieldError(res, "name");
  });

  it.each(BAD_NAMES)("POST / with name %s", async (_label, name) => {
    const res = await api()
      .post(`${P}/`)
      .set("Authorization", alice.bearer)
      .send({ name });
    expectFieldError(res, "name");
  });

  it.each(BAD_DESCRIPTIONS)(
    "POST / with description %s",
    async (_l, description) => {
      const res = await api()
        .post(`${P}/`)
        .set("Authorization", alice.bearer)
        .send({ name: "ok", description });
      expectFieldError(res, "description");
    }
  );

  it("PATCH /:playlistId with neither name nor description", async () => {
    const res = await api()
      .patch(`${P}/${playlistId}`)
      .set("Authorization", alice.bearer)
      .send({ videos: [videoId] });
    expectErrorEnvelope(res, 400);
    await expectUnchanged();
  });

  it.each(BAD_NAMES)("PATCH /:playlistId with name %s", async (_l, name) => {
    const res = await api()
      .patch(`${P}/${playlistId}`)
      .set("Authorization", alice.bearer)
      .send({ name });
    expectFieldError(res, "name");
    await expectUnchanged();
  });

  it.each(BAD_DESCRIPTIONS)(
    "PATCH /:playlistId with description %s",
    async (_l, description) => {
      const res = await api()
        .patch(`${P}/${playlistId}`)
        .set("Authorization", alice.bearer)
        .send({ description });
      expectFieldError(res, "description");
      await expectUnchanged();
    }
  );

  it.each(BAD_ID_VALUES)("GET, PATCH and DELETE /%s", async (badId) => {
    const calls = [
      api().get(`${P}/${badId}`),
      api()
        .patch(`${P}/${badId}`)
        .set("Authorization", alice.bearer)
        .send({ name: "x" }),
      api().delete(`${P}/${badId}`).set("Authorization", alice.bearer),
    ];
    for (const res of await Promise.all(calls)) {
      expectFieldError(res, "playlistId");
    }
  });

  it.each(BAD_ID_VALUES)("add and remove with video id %s", async (badId) => {
    for (const action of ["add", "remove"]) {
      const res = await api()
        .patch(`${P}/${action}/${badId}/${playlistId}`)
        .set("Authorization", alice.bearer);
      expectFieldError(res, "videoId");
    }
    await expectUnchanged();
  });

  it.each(BAD_ID_VALUES)(
    "add and remove with playlist id %s",
    async (badId) => {
      for (const action of ["add", "remove"]) {
        const res = await api()
          .patch(`${P}/${action}/${videoId}/${badId}`)
          .set("Authorization", alice.bearer);
        expectFieldError(res, "playlistId");
      }
    }
  );

  it.each(BAD_ID_VALUES)("GET /user/%s", async (badId) => {
    const res = await api().get(`${P}/user/${badId}`);
    expectFieldError(res, "userId");
  });

  it.each([
    ["page=0", "page"],
    ["page=abc", "page"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
  ])("GET /user/:userId?%s", async (query, field) => {
    const res = await api().get(`${P}/user/${alice.id}?${query}`);
    expectFieldError(res, field);
  });
});
