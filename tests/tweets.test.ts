import { describe, expect, it } from "vitest";
import { Like } from "../src/models/like.model.js";
import { Tweet } from "../src/models/tweet.model.js";
import {
  createLike,
  createTweet,
  minutesAgo,
  recordCommands,
} from "./helpers/content.factories.js";
import { createUser, missingId, publicViewOf } from "./helpers/factories.js";
import { API, api, expectErrorEnvelope, warmAuth } from "./helpers/http.js";
import { expectNoSecrets } from "./helpers/assertions.js";

const T = `${API}/tweets`;

describe("POST /tweets", () => {
  it("posts a trimmed tweet as the caller", async () => {
    const alice = await createUser();
    const res = await api()
      .post(`${T}/`)
      .set("Authorization", alice.bearer)
      .send({ content: "  Hello world  " });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      content: "Hello world",
      likesCount: 0,
      isLiked: false,
      owner: publicViewOf(alice),
    });
    expect(res.body.data.owner).not.toHaveProperty("email");
    expect(await Tweet.exists({ _id: res.body.data._id })).not.toBeNull();
    expectNoSecrets(res.body, [alice]);
  });

  it("accepts exactly 280 characters", async () => {
    const alice = await createUser();
    const res = await api()
      .post(`${T}/`)
      .set("Authorization", alice.bearer)
      .send({ content: "x".repeat(280) });
    expect(res.status).toBe(201);
  });

  it("answers 401 without a token", async () => {
    const res = await api().post(`${T}/`).send({ content: "Anonymous" });
    expectErrorEnvelope(res, 401);
    expect(await Tweet.exists({ content: "Anonymous" })).toBeNull();
  });
});

describe("GET /tweets/user/:userId", () => {
  it("lists a user's tweets newest first with likes and the viewer's like", async () => {
    const [alice, bob, carol] = [
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    const older = await createTweet(alice, {
      content: "older",
      createdAt: minutesAgo(3),
    });
    const newer = await createTweet(alice, {
      content: "newer",
      createdAt: minutesAgo(1),
    });
    await createTweet(bob, { content: "bob's" });
    await createLike(bob, "tweet", older);
    await createLike(carol, "tweet", older);
    await createLike(bob, "tweet", newer);
    // A like of another kind with the same id must not count.
    await createLike(alice, "video", older);

    const asBob = await api()
      .get(`${T}/user/${alice.id}`)
      .set("Authorization", bob.bearer);
    expect(asBob.status).toBe(200);
    expect(asBob.body.data).toMatchObject({ totalDocs: 2, page: 1 });
    expect(asBob.body.data.docs).toMatchObject([
      { content: "newer", likesCount: 1, isLiked: true },
      { content: "older", likesCount: 2, isLiked: true },
    ]);
    expect(asBob.body.data.docs[0].owner._id).toBe(alice.id);
    expectNoSecrets(asBob.body, [alice, bob, carol]);

    const asCarol = await api()
      .get(`${T}/user/${alice.id}`)
      .set("Authorization", carol.bearer);
    expect(
      asCarol.body.data.docs.map((doc: { isLiked: boolean }) => doc.isLiked)
    ).toEqual([false, true]);

    const anonymous = await api().get(`${T}/user/${alice.id}`);
    expect(
      anonymous.body.data.docs.map((doc: { isLiked: boolean }) => doc.isLiked)
    ).toEqual([false, false]);
  });

  it("pages through the tweets", async () => {
    const alice = await createUser();
    for (let index = 0; index < 5; index++) {
      await createTweet(alice, {
        content: `t${index}`,
        createdAt: minutesAgo(10 - index),
      });
    }
    const res = await api().get(`${T}/user/${alice.id}?page=2&limit=2`);
    expect(res.body.data).toMatchObject({
      totalDocs: 5,
      totalPages: 3,
      page: 2,
      prevPage: 1,
      nextPage: 3,
    });
    expect(
      res.body.data.docs.map((doc: { content: string }) => doc.content)
    ).toEqual(["t2", "t1"]);
  });

  it("answers an empty page for a user without tweets", async () => {
    const alice = await createUser();
    const res = await api().get(`${T}/user/${alice.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ docs: [], totalDocs: 0 });
  });

  it("answers 404 for no such user", async () => {
    expectErrorEnvelope(await api().get(`${T}/user/${missingId()}`), 404);
  });

  it("costs the same number of database commands for a page of 10 as for a page of 2", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    for (let index = 0; index < 10; index++) {
      const tweet = await createTweet(alice);
      await createLike(bob, "tweet", tweet);
    }
    const pageOf = (limit: number) =>
      recordCommands(async () => {
        const res = await api()
          .get(`${T}/user/${alice.id}?limit=${limit}`)
          .set("Authorization", bob.bearer);
        expect(res.body.data.docs).toHaveLength(limit);
        expect(
          res.body.data.docs.every(
            (doc: { likesCount: number; isLiked: boolean }) =>
              doc.likesCount === 1 && doc.isLiked
          )
        ).toBe(true);
      });
    await warmAuth(bob);
    const [ten, two] = [await pageOf(10), await pageOf(2)];
    expect(ten.length).toBeGreaterThan(0);
    expect(ten).toEqual(two);
    // Auth (session, user), the owner, the page and its count, likes, liked.
    expect(ten.filter((call) => call.startsWith("likes."))).toHaveLength(2);
  });
});

describe("PATCH /tweets/:tweetId", () => {
  it("edits the author's tweet and keeps its likes", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const tweet = await createTweet(alice, { content: "before" });
    await createLike(bob, "tweet", tweet);
    await createLike(alice, "tweet", tweet);
    const res = await api()
      .patch(`${T}/${String(tweet._id)}`)
      .set("Authorization", alice.bearer)
      .send({ content: " after " });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      _id: String(tweet._id),
      content: "after",
      likesCount: 2,
      isLiked: true,
      owner: { _id: alice.id },
    });
    expect((await Tweet.findById(tweet._id))?.content).toBe("after");
    expectNoSecrets(res.body, [alice, bob]);
  });

  it("answers 401 without a token and 403 to someone else", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const tweet = await createTweet(alice, { content: "mine" });
    const path = `${T}/${String(tweet._id)}`;
    expectErrorEnvelope(await api().patch(path).send({ content: "x" }), 401);
    expectErrorEnvelope(
      await api()
        .patch(path)
        .set("Authorization", bob.bearer)
        .send({ content: "hijacked" }),
      403
    );
    expect((await Tweet.findById(tweet._id))?.content).toBe("mine");
  });

  it("answers 404 for a missing tweet", async () => {
    const alice = await createUser();
    const res = await api()
      .patch(`${T}/${missingId()}`)
      .set("Authorization", alice.bearer)
      .send({ content: "x" });
    expectErrorEnvelope(res, 404);
  });
});

describe("DELETE /tweets/:tweetId", () => {
  it("deletes the tweet and its likes, and nothing else", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const [doomed, kept] = [await createTweet(alice), await createTweet(alice)];
    await createLike(bob, "tweet", doomed);
    await createLike(alice, "tweet", doomed);
    await createLike(bob, "tweet", kept);
    const res = await api()
      .delete(`${T}/${String(doomed._id)}`)
      .set("Authorization", alice.bearer);
    expect(res.status).toBe(200);
    expect(await Tweet.exists({ _id: doomed._id })).toBeNull();
    expect(await Like.countDocuments({ target: doomed._id })).toBe(0);
    expect(await Tweet.exists({ _id: kept._id })).not.toBeNull();
    expect(await Like.countDocuments({ target: kept._id })).toBe(1);
  });

  it("answers 401, 403 to someone else (keeping tweet and likes), and 404 when missing", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const tweet = await createTweet(alice);
    await createLike(bob, "tweet", tweet);
    const path = `${T}/${String(tweet._id)}`;
    expectErrorEnvelope(await api().delete(path), 401);
    expectErrorEnvelope(
      await api().delete(path).set("Authorization", bob.bearer),
      403
    );
    expect(await Tweet.exists({ _id: tweet._id })).not.toBeNull();
    expect(await Like.countDocuments({ target: tweet._id })).toBe(1);
    expectErrorEnvelope(
      await api()
        .delete(`${T}/${missingId()}`)
        .set("Authorization", bob.bearer),
      404
    );
  });
});

describe("the API document", () => {
  it("lists every tweets endpoint", async () => {
    const res = await api().get("/api-docs/openapi.json");
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/tweets",
        "/api/v1/tweets/{tweetId}",
        "/api/v1/tweets/user/{userId}",
      ])
    );
    expect(res.body.components.schemas).toHaveProperty("Tweet");
  });
});
