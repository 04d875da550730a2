// Operator keys ($set, $where, $ne) and prototype keys (__proto__,
// constructor, prototype) in every place a request carries keys: they change
// nothing, neither the stored document nor Object.prototype.
import { Types } from "mongoose";
import { afterEach, describe, expect, it } from "vitest";
import { Tweet } from "../src/models/tweet.model.js";
import { User } from "../src/models/user.model.js";
import { Video } from "../src/models/video.model.js";
import { createTweet } from "./helpers/content.factories.js";
import {
  createUser,
  createVideo,
  DEFAULT_PASSWORD,
} from "./helpers/factories.js";
import { api, API, expectErrorEnvelope } from "./helpers/http.js";
import { newAccount, register } from "./helpers/registration.js";

const USER_FIELDS = [
  "_id",
  "username",
  "email",
  "fullName",
  "avatar",
  "coverImage",
  "password",
  "createdAt",
  "updatedAt",
  "__v",
];

/** The keys of a stored document, read past Mongoose's schema. */
async function storedKeys(
  model: typeof User | typeof Tweet | typeof Video,
  id: unknown
): Promise<string[]> {
  const stored = await model.collection.findOne({
    _id: new Types.ObjectId(String(id)),
  });
  if (!stored) throw new Error(`no stored document ${String(id)}`);
  return Object.keys(stored);
}

const HOSTILE_JSON = `{
  "__proto__": { "isAdmin": true, "polluted": "json" },
  "constructor": { "prototype": { "polluted": "json" } },
  "prototype": { "polluted": "json" },
  "$set": { "email": "mallory@example.com", "isAdmin": true },
  "$where": "sleep(1000)",
  "$unset": { "password": "" },
  "isAdmin": true,
  "owner": "000000000000000000000000",
  "views": 1000000,
  "_id": "000000000000000000000000"
`;

const HOSTILE_FORM = [
  "__proto__[isAdmin]=true",
  "__proto__[polluted]=form",
  "constructor[prototype][polluted]=form",
  "prototype[polluted]=form",
  "$set[email]=mallory@example.com",
  "$where=sleep(1000)",
  "isAdmin=true",
  "owner=000000000000000000000000",
  "views=1000000",
].join("&");

afterEach(() => {
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(probe.isAdmin).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty("polluted");
});

describe("PATCH /users/update-account with hostile keys", () => {
  it.each([
    ["JSON", "application/json", `${HOSTILE_JSON}, "fullName": "New Name" }`],
    [
      "urlencoded",
      "application/x-www-form-urlencoded",
      `${HOSTILE_FORM}&fullName=New%20Name`,
    ],
  ])(
    "in %s changes the name and nothing else",
    async (_kind, contentType, body) => {
      const alice = await createUser();
      const response = await api()
        .patch(`${API}/users/update-account`)
        .set("Authorization", alice.bearer)
        .set("Content-Type", contentType)
        .send(body);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body.data).not.toHaveProperty("isAdmin");
      const stored = await User.findById(alice.id).lean();
      expect(stored?.fullName).toBe("New Name");
      expect(stored?.email).toBe(alice.user.email);
      for (const key of await storedKeys(User, alice.user._id))
        expect(USER_FIELDS).toContain(key);
      const login = await api()
        .post(`${API}/users/login`)
        .send({ username: alice.user.username, password: DEFAULT_PASSWORD });
      expect(login.status).toBe(200);
    }
  );

  it("refuses an operator object in place of a value with 400", async () => {
    const alice = await createUser();
    for (const body of [
      { fullName: { $ne: "" } },
      { email: { $regex: ".*" } },
      { fullName: ["a", "b"] },
    ]) {
      const response = await api()
        .patch(`${API}/users/update-account`)
        .set("Authorization", alice.bearer)
        .send(body);
      expectErrorEnvelope(response, 400);
    }
    expect((await User.findById(alice.id).lean())?.fullName).toBe(
      alice.user.fullName
    );
  });
});

describe("content writes with hostile keys", () => {
  it.each([
    ["JSON", "application/json", `${HOSTILE_JSON}, "content": "mine" }`],
    [
      "urlencoded",
      "application/x-www-form-urlencoded",
      `${HOSTILE_FORM}&content=mine`,
    ],
  ])(
    "POST /tweets in %s stores the caller's tweet with its own fields only",
    async (_kind, contentType, body) => {
      const alice = await createUser();
      const response = await api()
        .post(`${API}/tweets`)
        .set("Authorization", alice.bearer)
        .set("Content-Type", contentType)
        .send(body);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      const tweet = await Tweet.findById(response.body.data._id).lean();
      expect(String(tweet?.owner)).toBe(alice.id);
      expect((await storedKeys(Tweet, tweet?._id)).sort()).toEqual(
        ["__v", "_id", "content", "createdAt", "owner", "updatedAt"].sort()
      );
    }
  );

  it("PATCH /videos/:videoId in JSON changes the title and not the views, owner or id", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const response = await api()
      .patch(`${API}/videos/${String(video._id)}`)
      .set("Authorization", owner.bearer)
      .set("Content-Type", "application/json")
      .send(`${HOSTILE_JSON}, "title": "Renamed" }`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const stored = await Video.findById(video._id).lean();
    expect(stored).toMatchObject({ title: "Renamed", views: 0 });
    expect(String(stored?.owner)).toBe(owner.id);
    for (const key of ["isAdmin", "$set", "$where", "prototype"])
      expect(await storedKeys(Video, video._id)).not.toContain(key);
  });

  it("PATCH /tweets/:tweetId with an operator as the whole update changes nothing", async () => {
    const alice = await createUser();
    const tweet = await createTweet(alice, { content: "original" });
    const response = await api()
      .patch(`${API}/tweets/${String(tweet._id)}`)
      .set("Authorization", alice.bearer)
      .send({
        $set: { content: "hijacked", owner: "000000000000000000000000" },
      });
    expectErrorEnvelope(response, 400);
    expect((await Tweet.findById(tweet._id).lean())?.content).toBe("original");
  });
});

describe("query strings with hostile keys", () => {
  it.each([
    "__proto__[polluted]=query&constructor[prototype][polluted]=query",
    "__proto__=polluted&prototype=polluted",
    "$where=sleep(1000)&$regex=.*",
    "userId[$ne]=000000000000000000000000",
    "query[$regex]=.*&sortBy[$ne]=title",
  ])("GET /videos?%s answers as if the keys were absent", async (query) => {
    const owner = await createUser();
    await createVideo(owner, { title: "Only this one" });
    const plain = await api().get(`${API}/videos?userId=${owner.id}`);
    const hostile = await api().get(
      `${API}/videos?userId=${owner.id}&${query}`
    );
    expect(hostile.status, JSON.stringify(hostile.body)).toBe(200);
    expect(hostile.body.data.docs).toEqual(plain.body.data.docs);
  });

  it("searches for '$where' and '{\"$gt\":\"\"}' as plain text", async () => {
    const owner = await createUser();
    await createVideo(owner, { title: "Nothing special" });
    for (const text of ["$where", '{"$gt":""}', "$ne"]) {
      const response = await api()
        .get(`${API}/videos`)
        .query({ query: text, userId: owner.id });
      expect(response.status).toBe(200);
      expect(response.body.data.totalDocs).toBe(0);
    }
  });
});

describe("multipart forms with hostile field names", () => {
  it("register keeps only the account's own fields", async () => {
    const account = newAccount("keys");
    const response = await register({
      ...account,
      "__proto__[isAdmin]": "true",
      "constructor[prototype][polluted]": "form",
      "$set[email]": "mallory@example.com",
      isAdmin: "true",
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.data.email).toBe(account.email);
    for (const key of await storedKeys(User, response.body.data._id))
      expect(USER_FIELDS).toContain(key);
  });
});
