import { beforeAll, describe, expect, it } from "vitest";
import { Tweet } from "../src/models/tweet.model.js";
import { createTweet } from "./helpers/content.factories.js";
import { createUser, type TestUser } from "./helpers/factories.js";
import { expectFieldError } from "./helpers/assertions.js";
import {
  BAD_ID_VALUES,
  BAD_PAGES,
  badRequiredText,
} from "./helpers/bad-inputs.js";
import { API, api } from "./helpers/http.js";

const T = `${API}/tweets`;
const BAD_CONTENT = badRequiredText(280);

let alice: TestUser;
let tweetId: string;

beforeAll(async () => {
  alice = await createUser();
  tweetId = String((await createTweet(alice, { content: "kept" }))._id);
});

describe("tweets: bad input answers 400", () => {
  it.each(BAD_CONTENT)("POST / with content %s", async (_label, content) => {
    const res = await api()
      .post(`${T}/`)
      .set("Authorization", alice.bearer)
      .send(content === undefined ? {} : { content });
    expectFieldError(res, "content");
  });

  it.each(BAD_CONTENT)(
    "PATCH /:tweetId with content %s",
    async (_l, content) => {
      const res = await api()
        .patch(`${T}/${tweetId}`)
        .set("Authorization", alice.bearer)
        .send(content === undefined ? {} : { content });
      expectFieldError(res, "content");
      expect((await Tweet.findById(tweetId))?.content).toBe("kept");
    }
  );

  it.each(BAD_ID_VALUES)("PATCH and DELETE /%s", async (badId) => {
    const patch = await api()
      .patch(`${T}/${badId}`)
      .set("Authorization", alice.bearer)
      .send({ content: "x" });
    expectFieldError(patch, "tweetId");
    const remove = await api()
      .delete(`${T}/${badId}`)
      .set("Authorization", alice.bearer);
    expectFieldError(remove, "tweetId");
  });

  it.each(BAD_ID_VALUES)("GET /user/%s", async (badId) => {
    const res = await api().get(`${T}/user/${badId}`);
    expectFieldError(res, "userId");
  });

  it.each([...BAD_PAGES, ["a fractional limit", "limit=1.5"]])(
    "GET /user/:userId rejects %s",
    async (_why, query) => {
      const res = await api().get(`${T}/user/${alice.id}?${query}`);
      expectFieldError(res, query.startsWith("page") ? "page" : "limit");
    }
  );
});

describe("tweets: the length the document gives is the length enforced", () => {
  it("takes 280 emoji, since the document counts characters, not UTF-16 units", async () => {
    const content = "🐦".repeat(280);
    const res = await api()
      .post(`${T}/`)
      .set("Authorization", alice.bearer)
      .send({ content });
    expect(res.status).toBe(201);
    expect(res.body.data.content).toBe(content);
  });

  it("stores a tweet of 280 characters as sent without its surrounding spaces", async () => {
    const res = await api()
      .post(`${T}/`)
      .set("Authorization", alice.bearer)
      .send({ content: ` ${"x".repeat(278)} ` });
    expect(res.status).toBe(201);
    expect(res.body.data.content).toBe("x".repeat(278));
  });
});
