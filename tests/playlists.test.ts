import { describe, expect, it } from "vitest";
import { Playlist } from "../src/models/playlist.model.js";
import { Video } from "../src/models/video.model.js";
import { serialized } from "../src/db/engine/documentQueue.js";
import {
  countQueries,
  createPlaylist,
  minutesAgo,
} from "./helpers/content.factories.js";
import {
  createUser,
  createVideo,
  missingId,
  publicViewOf,
} from "./helpers/factories.js";
import { API, api, expectErrorEnvelope, warmAuth } from "./helpers/http.js";
import { expectNoSecrets } from "./helpers/assertions.js";

const P = `${API}/playlist`;

const storedVideos = async (playlistId: unknown) =>
  ((await Playlist.findById(playlistId).lean())?.videos ?? []).map(String);

/** No answer carries a password or the email of a user other than `me`. */
describe("POST /playlist", () => {
  it("creates a playlist owned by the caller", async () => {
    const alice = await createUser();
    const res = await api()
      .post(`${P}/`)
      .set("Authorization", alice.bearer)
      .send({ name: "  Road trip  ", description: "Songs" });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      name: "Road trip",
      description: "Songs",
      videos: [],
      owner: { _id: alice.id, username: alice.user.username },
    });
    expect(res.body.data.owner).not.toHaveProperty("email");
    expect(await Playlist.countDocuments({ owner: alice.id })).toBe(1);
    expectNoSecrets(res.body, [alice]);
  });

  it("defaults the description to empty", async () => {
    const alice = await createUser();
    const res = await api()
      .post(`${P}/`)
      .set("Authorization", alice.bearer)
      .send({ name: "Later" });
    expect(res.status).toBe(201);
    expect(res.body.data.description).toBe("");
  });

  it("answers 401 without a token", async () => {
    const res = await api().post(`${P}/`).send({ name: "Nobody's" });
    expectErrorEnvelope(res, 401);
    expect(await Playlist.exists({ name: "Nobody's" })).toBeNull();
  });
});

describe("GET /playlist/:playlistId", () => {
  it("shows the playlist in its order with videos as URLs and public owners", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const first = await createVideo(bob, { title: "First" });
    const second = await createVideo(alice, { title: "Second" });
    const playlist = await createPlaylist(alice, { videos: [second, first] });
    const res = await api().get(`${P}/${String(playlist._id)}`);
    expect(res.status).toBe(200);
    expect(res.body.data.owner).toEqual(publicViewOf(alice));
    const videos = res.body.data.videos as Record<string, unknown>[];
    expect(videos.map((video) => video.title)).toEqual(["Second", "First"]);
    expect(videos[1]).toMatchObject({
      _id: String(first._id),
      videoFile: first.videoFile.url,
      thumbnail: first.thumbnail.url,
      duration: 60,
      views: 0,
      isPublished: true,
      owner: { _id: bob.id, username: bob.user.username },
    });
    expect(Object.keys(videos[1] ?? {}).sort()).toEqual(
      [
        "_id",
        "videoFile",
        "thumbnail",
        "title",
        "description",
        "duration",
        "views",
        "isPublished",
        "owner",
        "createdAt",
      ].sort()
    );
    expectNoSecrets(res.body, [alice, bob]);
  });

  it("shows the owner's unpublished videos only to the owner", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const hidden = await createVideo(alice, { isPublished: false });
    const shown = await createVideo(alice);
    const playlist = await createPlaylist(alice, { videos: [hidden, shown] });
    const path = `${P}/${String(playlist._id)}`;

    const asOwner = await api().get(path).set("Authorization", alice.bearer);
    expect(asOwner.body.data.videos).toHaveLength(2);
    const asOther = await api().get(path).set("Authorization", bob.bearer);
    expect(asOther.body.data.videos.map((v: { _id: string }) => v._id)).toEqual(
      [String(shown._id)]
    );
    const anonymous = await api().get(path);
    expect(anonymous.body.data.videos).toHaveLength(1);
  });

  it("does not show the owner someone else's video that went private", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const video = await createVideo(bob);
    const playlist = await createPlaylist(alice, { videos: [video] });
    await Video.updateOne({ _id: video._id }, { isPublished: false });
    const res = await api()
      .get(`${P}/${String(playlist._id)}`)
      .set("Authorization", alice.bearer);
    expect(res.body.data.videos).toEqual([]);
  });

  it("skips videos deleted since they were added", async () => {
    const alice = await createUser();
    const [gone, kept] = [await createVideo(alice), await createVideo(alice)];
    const playlist = await createPlaylist(alice, { videos: [gone, kept] });
    await Video.deleteOne({ _id: gone._id });
    const res = await api().get(`${P}/${String(playlist._id)}`);
    expect(res.status).toBe(200);
    expect(res.body.data.videos.map((v: { _id: string }) => v._id)).toEqual([
      String(kept._id),
    ]);
  });

  it("answers 404 for a missing playlist", async () => {
    expectErrorEnvelope(await api().get(`${P}/${missingId()}`), 404);
  });

  it("costs the same number of queries for 10 videos as for 2", async () => {
    const alice = await createUser();
    const videos = await Promise.all(
      Array.from({ length: 10 }, () => createVideo(alice))
    );
    const big = await createPlaylist(alice, { videos });
    const small = await createPlaylist(alice, { videos: videos.slice(0, 2) });
    const cost = (id: unknown) =>
      countQueries(() =>
        api()
          .get(`${P}/${String(id)}`)
          .set("Authorization", alice.bearer)
      );
    await warmAuth(alice);
    expect(await cost(big._id)).toBe(await cost(small._id));
  });
});

describe("PATCH /playlist/:playlistId", () => {
  it("renames and re-describes the owner's playlist", async () => {
    const alice = await createUser();
    const playlist = await createPlaylist(alice);
    const path = `${P}/${String(playlist._id)}`;
    const renamed = await api()
      .patch(path)
      .set("Authorization", alice.bearer)
      .send({ name: "Renamed" });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({
      name: "Renamed",
      description: "",
    });
    const described = await api()
      .patch(path)
      .set("Authorization", alice.bearer)
      .send({ description: "Now with words" });
    expect(described.body.data).toMatchObject({
      name: "Renamed",
      description: "Now with words",
    });
    expectNoSecrets(described.body, [alice]);
  });

  it("answers 401 without a token and 403 to someone else", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const playlist = await createPlaylist(alice, { name: "Mine" });
    const path = `${P}/${String(playlist._id)}`;
    expectErrorEnvelope(await api().patch(path).send({ name: "x" }), 401);
    expectErrorEnvelope(
      await api()
        .patch(path)
        .set("Authorization", bob.bearer)
        .send({ name: "Stolen" }),
      403
    );
    expect((await Playlist.findById(playlist._id))?.name).toBe("Mine");
  });

  it("answers 404 for a missing playlist", async () => {
    const alice = await createUser();
    const res = await api()
      .patch(`${P}/${missingId()}`)
      .set("Authorization", alice.bearer)
      .send({ name: "x" });
    expectErrorEnvelope(res, 404);
  });
});

describe("DELETE /playlist/:playlistId", () => {
  it("deletes the owner's playlist and keeps its videos", async () => {
    const alice = await createUser();
    const video = await createVideo(alice);
    const playlist = await createPlaylist(alice, { videos: [video] });
    const res = await api()
      .delete(`${P}/${String(playlist._id)}`)
      .set("Authorization", alice.bearer);
    expect(res.status).toBe(200);
    expect(await Playlist.exists({ _id: playlist._id })).toBeNull();
    expect(await Video.exists({ _id: video._id })).not.toBeNull();
  });

  it("answers 401, 403 to someone else, and 404 when missing", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const playlist = await createPlaylist(alice);
    const path = `${P}/${String(playlist._id)}`;
    expectErrorEnvelope(await api().delete(path), 401);
    expectErrorEnvelope(
      await api().delete(path).set("Authorization", bob.bearer),
      403
    );
    expect(await Playlist.exists({ _id: playlist._id })).not.toBeNull();
    expectErrorEnvelope(
      await api()
        .delete(`${P}/${missingId()}`)
        .set("Authorization", bob.bearer),
      404
    );
  });
});

describe("PATCH /playlist/add and /remove", () => {
  it("adds a video once however often it is added", async () => {
    const alice = await createUser();
    const video = await createVideo(alice);
    const playlist = await createPlaylist(alice);
    const path = `${P}/add/${String(video._id)}/${String(playlist._id)}`;
    const first = await api().patch(path).set("Authorization", alice.bearer);
    expect(first.status).toBe(200);
    expect(first.body.data.videos).toEqual([String(video._id)]);
    const again = await api().patch(path).set("Authorization", alice.bearer);
    expect(again.status).toBe(200);
    expect(await storedVideos(playlist._id)).toEqual([String(video._id)]);
  });

  it("adds someone else's published video and the owner's unpublished one", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const bobs = await createVideo(bob);
    const draft = await createVideo(alice, { isPublished: false });
    const playlist = await createPlaylist(alice);
    for (const video of [bobs, draft]) {
      const res = await api()
        .patch(`${P}/add/${String(video._id)}/${String(playlist._id)}`)
        .set("Authorization", alice.bearer);
      expect(res.status).toBe(200);
    }
    expect(await storedVideos(playlist._id)).toEqual([
      String(bobs._id),
      String(draft._id),
    ]);
  });

  it("answers 404 for a missing video or someone else's unpublished one", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const draft = await createVideo(bob, { isPublished: false });
    const playlist = await createPlaylist(alice);
    for (const videoId of [missingId(), String(draft._id)]) {
      const res = await api()
        .patch(`${P}/add/${videoId}/${String(playlist._id)}`)
        .set("Authorization", alice.bearer);
      expectErrorEnvelope(res, 404);
    }
    expect(await storedVideos(playlist._id)).toEqual([]);
  });

  it("answers 404 for a missing playlist", async () => {
    const alice = await createUser();
    const video = await createVideo(alice);
    for (const action of ["add", "remove"]) {
      const res = await api()
        .patch(`${P}/${action}/${String(video._id)}/${missingId()}`)
        .set("Authorization", alice.bearer);
      expectErrorEnvelope(res, 404);
    }
  });

  it("answers 401 without a token and 403 to someone else", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const video = await createVideo(bob);
    const playlist = await createPlaylist(alice, { videos: [video] });
    for (const action of ["add", "remove"]) {
      const path = `${P}/${action}/${String(video._id)}/${String(playlist._id)}`;
      expectErrorEnvelope(await api().patch(path), 401);
      expectErrorEnvelope(
        await api().patch(path).set("Authorization", bob.bearer),
        403
      );
    }
    expect(await storedVideos(playlist._id)).toEqual([String(video._id)]);
  });

  it("removes a video, also one deleted since, and removing twice is harmless", async () => {
    const alice = await createUser();
    const [kept, removed] = [
      await createVideo(alice),
      await createVideo(alice),
    ];
    const playlist = await createPlaylist(alice, { videos: [kept, removed] });
    await Video.deleteOne({ _id: removed._id });
    const path = `${P}/remove/${String(removed._id)}/${String(playlist._id)}`;
    for (let round = 0; round < 2; round++) {
      const res = await api().patch(path).set("Authorization", alice.bearer);
      expect(res.status).toBe(200);
      expect(res.body.data.videos).toEqual([String(kept._id)]);
    }
  });

  it("keeps every video when 10 different videos are added at once", async () => {
    const alice = await createUser();
    const videos = await Promise.all(
      Array.from({ length: 10 }, () => createVideo(alice))
    );
    const playlist = await createPlaylist(alice);
    const answers = await Promise.all(
      videos.map((video) =>
        api()
          .patch(`${P}/add/${String(video._id)}/${String(playlist._id)}`)
          .set("Authorization", alice.bearer)
      )
    );
    expect(answers.map((res) => res.status)).toEqual(videos.map(() => 200));
    expect((await storedVideos(playlist._id)).sort()).toEqual(
      videos.map((video) => String(video._id)).sort()
    );
  });

  it("keeps the others when 10 videos are removed at once", async () => {
    const alice = await createUser();
    const videos = await Promise.all(
      Array.from({ length: 20 }, () => createVideo(alice))
    );
    const playlist = await createPlaylist(alice, { videos });
    const [removed, kept] = [videos.slice(0, 10), videos.slice(10)];
    await Promise.all(
      removed.map((video) =>
        api()
          .patch(`${P}/remove/${String(video._id)}/${String(playlist._id)}`)
          .set("Authorization", alice.bearer)
      )
    );
    expect(await storedVideos(playlist._id)).toEqual(
      kept.map((video) => String(video._id))
    );
  });

  it("loses no added video to a rename at the same time", async () => {
    const alice = await createUser();
    const videos = await Promise.all(
      Array.from({ length: 6 }, () => createVideo(alice))
    );
    const playlist = await createPlaylist(alice);
    const id = String(playlist._id);
    await Promise.all([
      ...videos.map((video) =>
        api()
          .patch(`${P}/add/${String(video._id)}/${id}`)
          .set("Authorization", alice.bearer)
      ),
      ...["One", "Two", "Three"].map((name) =>
        api()
          .patch(`${P}/${id}`)
          .set("Authorization", alice.bearer)
          .send({ name })
      ),
    ]);
    expect((await storedVideos(id)).sort()).toEqual(
      videos.map((video) => String(video._id)).sort()
    );
  });

  it("adds the same video 10 times at once as one entry", async () => {
    const alice = await createUser();
    const video = await createVideo(alice);
    const playlist = await createPlaylist(alice);
    const path = `${P}/add/${String(video._id)}/${String(playlist._id)}`;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        api().patch(path).set("Authorization", alice.bearer)
      )
    );
    expect(await storedVideos(playlist._id)).toEqual([String(video._id)]);
  });
});

describe("GET /playlist/user/:userId", () => {
  it("lists a user's playlists newest first with the videos the viewer may see", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const published = await createVideo(alice);
    const draft = await createVideo(alice, { isPublished: false });
    const gone = await createVideo(alice);
    const older = await createPlaylist(alice, {
      name: "Older",
      videos: [published, draft, gone],
      createdAt: minutesAgo(5),
    });
    await createPlaylist(alice, { name: "Newer", createdAt: minutesAgo(1) });
    await createPlaylist(bob, { name: "Not alice's" });
    await Video.deleteOne({ _id: gone._id });
    const path = `${P}/user/${alice.id}`;

    const anonymous = await api().get(path);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.data).toMatchObject({
      totalDocs: 2,
      page: 1,
      limit: 10,
      hasNextPage: false,
    });
    const docs = anonymous.body.data.docs as Record<string, unknown>[];
    expect(docs.map((doc) => doc.name)).toEqual(["Newer", "Older"]);
    expect(docs[1]).toMatchObject({
      _id: String(older._id),
      videosCount: 1,
      owner: { _id: alice.id },
    });
    expect(docs[0]?.videosCount).toBe(0);
    expectNoSecrets(anonymous.body, [alice, bob]);

    const asOwner = await api().get(path).set("Authorization", alice.bearer);
    expect(asOwner.body.data.docs[1].videosCount).toBe(2);
  });

  it("pages through the playlists", async () => {
    const alice = await createUser();
    for (let index = 0; index < 3; index++) {
      await createPlaylist(alice, {
        name: `P${index}`,
        createdAt: minutesAgo(10 - index),
      });
    }
    const res = await api().get(`${P}/user/${alice.id}?page=2&limit=2`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      totalDocs: 3,
      totalPages: 2,
      page: 2,
      hasPrevPage: true,
      hasNextPage: false,
    });
    expect(res.body.data.docs.map((doc: { name: string }) => doc.name)).toEqual(
      ["P0"]
    );
  });

  it("answers 404 for no such user", async () => {
    expectErrorEnvelope(await api().get(`${P}/user/${missingId()}`), 404);
  });

  it("costs the same number of queries for a page of 10 as for a page of 2", async () => {
    const alice = await createUser();
    const video = await createVideo(alice);
    for (let index = 0; index < 10; index++) {
      await createPlaylist(alice, { videos: [video] });
    }
    const cost = (limit: number) =>
      countQueries(() =>
        api()
          .get(`${P}/user/${alice.id}?limit=${limit}`)
          .set("Authorization", alice.bearer)
      );
    await warmAuth(alice);
    expect(await cost(10)).toBe(await cost(2));
  });
});

describe("the API document", () => {
  it("lists every playlists endpoint", async () => {
    const res = await api().get("/api-docs/openapi.json");
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/playlist",
        "/api/v1/playlist/{playlistId}",
        "/api/v1/playlist/add/{videoId}/{playlistId}",
        "/api/v1/playlist/remove/{videoId}/{playlistId}",
        "/api/v1/playlist/user/{userId}",
      ])
    );
    expect(res.body.components.schemas).toHaveProperty("PlaylistDetail");
  });
});

describe("the per-playlist write queue", () => {
  /** Writes of `key` that note their start and end in `log`, then fail with `failure` if given. */
  const writesOf =
    (key: string, log: string[]) => (name: string, failure?: Error) =>
      serialized(key, async () => {
        log.push(`${name}:start`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`${name}:end`);
        if (failure) throw failure;
        return name;
      });

  it("runs writes of one key one at a time, and a failed write does not block the next", async () => {
    const log: string[] = [];
    const step = writesOf("k", log);
    const results = await Promise.allSettled([
      step("a"),
      step("b", new Error("b")),
      step("c"),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect(log).toEqual([
      "a:start",
      "a:end",
      "b:start",
      "b:end",
      "c:start",
      "c:end",
    ]);
  });

  it("fails the writes waiting behind a write that found the database away, without running them, and runs the next one", async () => {
    const away = Object.assign(new Error("no server"), {
      name: "MongoServerSelectionError",
    });
    const log: string[] = [];
    const step = writesOf("k-away", log);
    const results = await Promise.allSettled([
      step("a", away),
      step("b"),
      step("c"),
    ]);
    expect(results).toEqual([
      { status: "rejected", reason: away },
      { status: "rejected", reason: away },
      { status: "rejected", reason: away },
    ]);
    expect(log).toEqual(["a:start", "a:end"]);
    await expect(step("d")).resolves.toBe("d");
    // Any other failure still lets the next write run.
    const other = await Promise.allSettled([
      step("e", new Error("validation")),
      step("f"),
    ]);
    expect(other.map((result) => result.status)).toEqual([
      "rejected",
      "fulfilled",
    ]);
    expect(log).toEqual([
      "a:start",
      "a:end",
      "d:start",
      "d:end",
      "e:start",
      "e:end",
      "f:start",
      "f:end",
    ]);
  });
});
