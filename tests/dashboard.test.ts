import { describe, expect, it } from "vitest";
import {
  createComment,
  createLike,
  createSubscription,
  minutesAgo,
  recordCommands,
} from "./helpers/content.factories.js";
import { createUser, createVideo } from "./helpers/factories.js";
import { API, api, expectErrorEnvelope, warmAuth } from "./helpers/http.js";
import { expectNoSecrets } from "./helpers/assertions.js";

const D = `${API}/dashboard`;

describe("GET /dashboard/stats", () => {
  it("totals the caller's videos, views, subscribers, likes and comments", async () => {
    const [alice, bob, carol] = [
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    const published = await createVideo(alice, { views: 10 });
    const draft = await createVideo(alice, { views: 5, isPublished: false });
    const bobs = await createVideo(bob, { views: 1000 });
    await createSubscription(bob, alice);
    await createSubscription(carol, alice);
    await createSubscription(alice, bob);
    await createLike(bob, "video", published);
    await createLike(carol, "video", published);
    await createLike(bob, "video", draft);
    await createLike(alice, "video", bobs);
    const comment = await createComment(bob, published, {
      content: "Nice one",
    });
    await createComment(carol, draft, { content: "Nice one" });
    await createComment(alice, bobs, { content: "Nice one" });
    // Likes of a comment or a tweet are not likes of the channel's videos.
    await createLike(carol, "comment", comment);

    const res = await api()
      .get(`${D}/stats`)
      .set("Authorization", alice.bearer);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      totalVideos: 2,
      totalViews: 15,
      totalSubscribers: 2,
      totalLikes: 3,
      totalComments: 2,
    });
    expectNoSecrets(res.body, [alice, bob, carol]);
  });

  it("answers zeros for a new channel", async () => {
    const alice = await createUser();
    const res = await api()
      .get(`${D}/stats`)
      .set("Authorization", alice.bearer);
    expect(res.body.data).toEqual({
      totalVideos: 0,
      totalViews: 0,
      totalSubscribers: 0,
      totalLikes: 0,
      totalComments: 0,
    });
  });

  it("answers 401 without a token", async () => {
    expectErrorEnvelope(await api().get(`${D}/stats`), 401);
    expectErrorEnvelope(
      await api().get(`${D}/stats`).set("Authorization", "Bearer not.a.jwt"),
      401
    );
  });
});

describe("GET /dashboard/videos", () => {
  it("lists the caller's videos, published or not, newest first, with counts", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const older = await createVideo(alice, {
      title: "older",
      createdAt: minutesAgo(5),
    });
    const draft = await createVideo(alice, {
      title: "draft",
      isPublished: false,
      createdAt: minutesAgo(1),
    });
    await createVideo(bob, { title: "bob's" });
    await createLike(bob, "video", older);
    await createLike(alice, "video", older);
    await createComment(bob, older, { content: "Nice one" });
    await createComment(bob, draft, { content: "Nice one" });
    await createComment(alice, draft, { content: "Nice one" });
    await createComment(alice, draft, { content: "Nice one" });

    const res = await api()
      .get(`${D}/videos`)
      .set("Authorization", alice.bearer);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ totalDocs: 2, page: 1, limit: 10 });
    expect(res.body.data.docs).toMatchObject([
      {
        _id: String(draft._id),
        title: "draft",
        isPublished: false,
        likesCount: 0,
        commentsCount: 3,
        videoFile: draft.videoFile.url,
        thumbnail: draft.thumbnail.url,
        owner: alice.id,
      },
      { title: "older", isPublished: true, likesCount: 2, commentsCount: 1 },
    ]);
    expect(JSON.stringify(res.body)).not.toContain("publicId");
    expectNoSecrets(res.body, [bob]);
  });

  it("pages through the videos", async () => {
    const alice = await createUser();
    for (let index = 0; index < 3; index++) {
      await createVideo(alice, {
        title: `v${index}`,
        createdAt: minutesAgo(10 - index),
      });
    }
    const res = await api()
      .get(`${D}/videos?page=2&limit=2`)
      .set("Authorization", alice.bearer);
    expect(res.body.data).toMatchObject({
      totalDocs: 3,
      totalPages: 2,
      page: 2,
      hasNextPage: false,
    });
    expect(
      res.body.data.docs.map((doc: { title: string }) => doc.title)
    ).toEqual(["v0"]);
  });

  it("costs the same number of database commands for a page of 10 as for a page of 2", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    for (let index = 0; index < 10; index++) {
      const video = await createVideo(alice);
      await createLike(bob, "video", video);
      await createComment(bob, video, { content: "Nice one" });
    }
    const cost = (limit: number) =>
      recordCommands(() =>
        api()
          .get(`${D}/videos?limit=${limit}`)
          .set("Authorization", alice.bearer)
      );
    await warmAuth(alice);
    const [ten, two] = [await cost(10), await cost(2)];
    expect(ten.length).toBeGreaterThan(0);
    expect(ten).toEqual(two);
  });

  it("answers 401 without a token", async () => {
    expectErrorEnvelope(await api().get(`${D}/videos`), 401);
  });
});

describe("the API document", () => {
  it("lists every dashboard endpoint", async () => {
    const res = await api().get("/api-docs/openapi.json");
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/dashboard/stats",
        "/api/v1/dashboard/videos",
      ])
    );
    expect(res.body.components.schemas).toHaveProperty("ChannelStats");
  });
});
