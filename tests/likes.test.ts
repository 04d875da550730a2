import { describe, expect, it } from "vitest";
import { Like, type LikeTarget } from "../src/models/like.model.js";
import {
  createUser,
  createVideo,
  missingId,
  type TestUser,
  publicViewOf,
} from "./helpers/factories.js";
import { API, api, expectErrorEnvelope } from "./helpers/http.js";
import { expectDocumented } from "./helpers/assertions.js";
import {
  countQueries,
  createComment,
  createTweet,
  leakedSecrets,
  createLike,
} from "./helpers/content.factories.js";

const LETTER: Record<LikeTarget, string> = {
  video: "v",
  comment: "c",
  tweet: "t",
};

const toggleUrl = (targetType: LikeTarget, id: string) =>
  `${API}/likes/toggle/${LETTER[targetType]}/${id}`;

const toggle = (user: TestUser, targetType: LikeTarget, id: string) =>
  api().post(toggleUrl(targetType, id)).set("Authorization", user.bearer);

/** One target of each kind, owned by `owner`. */
async function targetsOf(owner: TestUser) {
  const video = await createVideo(owner);
  const comment = await createComment(owner, video);
  const tweet = await createTweet(owner, { content: "A tweet" });
  return [
    ["video", video.id as string],
    ["comment", String(comment._id)],
    ["tweet", String(tweet._id)],
  ] as const;
}

describe("POST /likes/toggle/{v,c,t}/:id", () => {
  it("likes, then unlikes, each kind of target and answers the count", async () => {
    const [owner, alice] = [await createUser(), await createUser()];
    for (const [targetType, id] of await targetsOf(owner)) {
      await createLike(owner, targetType, { _id: id });

      const liked = await toggle(alice, targetType, id);
      expect(liked.status, targetType).toBe(200);
      expect(liked.body.data).toEqual({ liked: true, likesCount: 2 });
      expect(
        await Like.exists({ targetType, target: id, likedBy: alice.id })
      ).not.toBeNull();

      const unliked = await toggle(alice, targetType, id);
      expect(unliked.status).toBe(200);
      expect(unliked.body.data).toEqual({ liked: false, likesCount: 1 });
      expect(
        await Like.exists({ targetType, target: id, likedBy: alice.id })
      ).toBeNull();
    }
  });

  it("keeps one like per user and target under 20 concurrent toggles", async () => {
    const [owner, alice, bob] = [
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    for (const [targetType, id] of await targetsOf(owner)) {
      await createLike(bob, targetType, { _id: id });
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => toggle(alice, targetType, id))
      );
      for (const answer of answers) expect(answer.status).toBe(200);

      const records = await Like.countDocuments({ targetType, target: id });
      const mine = await Like.countDocuments({
        targetType,
        target: id,
        likedBy: alice.id,
      });
      expect(mine).toBeLessThanOrEqual(1);
      expect(records).toBe(1 + mine);

      // The next toggle flips exactly that state, and its count is the records'.
      const next = await toggle(alice, targetType, id);
      expect(next.body.data).toEqual({
        liked: mine === 0,
        likesCount: await Like.countDocuments({ targetType, target: id }),
      });
      expect(next.body.data.likesCount).toBe(mine === 0 ? 2 : 1);
    }
  });

  it("counts every like when 20 users like one video at once", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const fans = await Promise.all(
      Array.from({ length: 20 }, () => createUser())
    );
    const answers = await Promise.all(
      fans.map((fan) => toggle(fan, "video", video.id as string))
    );
    for (const answer of answers) expect(answer.body.data.liked).toBe(true);
    expect(
      Math.max(...answers.map((answer) => answer.body.data.likesCount))
    ).toBe(20);
    expect(
      await Like.countDocuments({ targetType: "video", target: video._id })
    ).toBe(20);
  });

  it("answers 401 without a token", async () => {
    const owner = await createUser();
    for (const [targetType, id] of await targetsOf(owner)) {
      expectErrorEnvelope(await api().post(toggleUrl(targetType, id)), 401);
      expect(await Like.countDocuments({ targetType, target: id })).toBe(0);
    }
  });

  it("answers 404 for a target that does not exist", async () => {
    const alice = await createUser();
    for (const targetType of ["video", "comment", "tweet"] as const) {
      expectErrorEnvelope(await toggle(alice, targetType, missingId()), 404);
    }
  });

  it("answers 404 for someone else's unpublished video and for comments on it", async () => {
    const [owner, alice] = [await createUser(), await createUser()];
    const hidden = await createVideo(owner, { isPublished: false });
    const comment = await createComment(owner, hidden);
    expectErrorEnvelope(await toggle(alice, "video", hidden.id as string), 404);
    expectErrorEnvelope(
      await toggle(alice, "comment", String(comment._id)),
      404
    );
    expect(await Like.countDocuments({ likedBy: alice.id })).toBe(0);

    const own = await toggle(owner, "video", hidden.id as string);
    expect(own.body.data).toEqual({ liked: true, likesCount: 1 });
  });

  it("answers 404 for a like of a comment whose video is gone", async () => {
    const [owner, alice] = [await createUser(), await createUser()];
    const video = await createVideo(owner);
    const comment = await createComment(owner, video);
    await video.deleteOne();
    expectErrorEnvelope(
      await toggle(alice, "comment", String(comment._id)),
      404
    );
  });
});

describe("GET /likes/videos", () => {
  it("lists the caller's liked videos, most recently liked first, with owners and media URLs", async () => {
    const [owner, alice] = [await createUser(), await createUser()];
    const first = await createVideo(owner, { title: "first", views: 7 });
    const second = await createVideo(owner, { title: "second" });
    const notLiked = await createVideo(owner, { title: "not liked" });
    await createLike(alice, "video", second, {
      createdAt: new Date("2024-01-01T00:00:00Z"),
    });
    await createLike(alice, "video", first, {
      createdAt: new Date("2024-02-01T00:00:00Z"),
    });
    await createLike(owner, "video", notLiked);
    const comment = await createComment(owner, notLiked);
    await createLike(alice, "comment", comment);

    const response = await api()
      .get(`${API}/likes/videos`)
      .set("Authorization", alice.bearer);

    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ totalDocs: 2, page: 1 });
    const docs = response.body.data.docs;
    expect(docs.map((doc: { title: string }) => doc.title)).toEqual([
      "first",
      "second",
    ]);
    expect(docs[0]).toMatchObject({
      _id: first.id,
      videoFile: first.videoFile.url,
      thumbnail: first.thumbnail.url,
      title: "first",
      description: first.description,
      duration: 60,
      views: 7,
      isPublished: true,
      owner: publicViewOf(owner),
      createdAt: first.createdAt.toISOString(),
      likedAt: "2024-02-01T00:00:00.000Z",
    });
    expect(leakedSecrets(response.body, [owner.user.email])).toEqual([]);
  });

  it("hides others' unpublished videos but keeps the caller's own, and pages stay full", async () => {
    const [owner, alice] = [await createUser(), await createUser()];
    const hidden = await createVideo(owner, { isPublished: false });
    const ownHidden = await createVideo(alice, { isPublished: false });
    const visible = await createVideo(owner);
    const gone = await createVideo(owner);
    await createLike(alice, "video", hidden);
    await createLike(alice, "video", ownHidden);
    await createLike(alice, "video", visible);
    await createLike(alice, "video", gone);
    await gone.deleteOne();

    const response = await api()
      .get(`${API}/likes/videos?limit=1`)
      .set("Authorization", alice.bearer);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ totalDocs: 2, totalPages: 2 });
    const second = await api()
      .get(`${API}/likes/videos?limit=1&page=2`)
      .set("Authorization", alice.bearer);
    const ids = [...response.body.data.docs, ...second.body.data.docs].map(
      (doc: { _id: string }) => doc._id
    );
    expect(ids.sort()).toEqual([ownHidden.id, visible.id].sort());
  });

  it("answers an empty page to a user who liked nothing", async () => {
    const alice = await createUser();
    const response = await api()
      .get(`${API}/likes/videos`)
      .set("Authorization", alice.bearer);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ docs: [], totalDocs: 0 });
  });

  it("answers 401 without a token", async () => {
    expectErrorEnvelope(await api().get(`${API}/likes/videos`), 401);
  });

  it("costs the same number of database commands for 10 liked videos as for 2", async () => {
    const owners = [await createUser(), await createUser(), await createUser()];
    const [few, many] = [await createUser(), await createUser()];
    for (let index = 0; index < 10; index++) {
      const video = await createVideo(owners[index % 3] ?? few);
      await createLike(many, "video", video);
      if (index < 2) await createLike(few, "video", video);
    }
    const costOf = (user: TestUser, expected: number) =>
      countQueries(async () => {
        const response = await api()
          .get(`${API}/likes/videos`)
          .set("Authorization", user.bearer);
        expect(response.body.data.docs).toHaveLength(expected);
      });
    expect(await costOf(many, 10)).toBe(await costOf(few, 2));
  });
});

describe("the likes API document", () => {
  it("lists every likes endpoint in the OpenAPI document", async () => {
    const response = await api().get("/api-docs/openapi.json");
    expectDocumented(response.body, {
      "/api/v1/likes/toggle/v/{videoId}": ["post"],
      "/api/v1/likes/toggle/c/{commentId}": ["post"],
      "/api/v1/likes/toggle/t/{tweetId}": ["post"],
      "/api/v1/likes/videos": ["get"],
    });
  });
});
