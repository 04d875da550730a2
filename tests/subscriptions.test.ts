import { describe, expect, it } from "vitest";
import { Subscription } from "../src/models/subscription.model.js";
import {
  createUser,
  missingId,
  type TestUser,
  publicViewOf,
} from "./helpers/factories.js";
import { API, api, expectErrorEnvelope, warmAuth } from "./helpers/http.js";
import { expectDocumented } from "./helpers/assertions.js";
import {
  countQueries,
  leakedSecrets,
  createSubscription,
} from "./helpers/content.factories.js";

const channelUrl = (channelId: string) => `${API}/subscriptions/c/${channelId}`;
const subscriberUrl = (userId: string) => `${API}/subscriptions/u/${userId}`;

const toggle = (user: TestUser, channelId: string) =>
  api().post(channelUrl(channelId)).set("Authorization", user.bearer);

const pairCount = (subscriber: TestUser, channel: TestUser) =>
  Subscription.countDocuments({
    subscriber: subscriber.id,
    channel: channel.id,
  });

describe("POST /subscriptions/c/:channelId", () => {
  it("subscribes, then unsubscribes on the second toggle", async () => {
    const [alice, channel] = [await createUser(), await createUser()];
    const first = await toggle(alice, channel.id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      statusCode: 200,
      success: true,
      data: { subscribed: true },
    });
    expect(await pairCount(alice, channel)).toBe(1);

    const second = await toggle(alice, channel.id);
    expect(second.status).toBe(200);
    expect(second.body.data).toEqual({ subscribed: false });
    expect(await pairCount(alice, channel)).toBe(0);
  });

  it("ends in one consistent state after 20 concurrent toggles", async () => {
    const [alice, channel] = [await createUser(), await createUser()];
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => toggle(alice, channel.id))
    );
    for (const answer of answers) expect(answer.status).toBe(200);
    const records = await pairCount(alice, channel);
    expect(records).toBeLessThanOrEqual(1);

    const subscribers = await api().get(channelUrl(channel.id));
    expect(subscribers.body.data.totalDocs).toBe(records);
    const channels = await api().get(subscriberUrl(alice.id));
    expect(channels.body.data.totalDocs).toBe(records);
    if (records === 1) {
      expect(channels.body.data.docs[0].subscribersCount).toBe(1);
    }

    // The next toggle flips exactly the state the records show.
    const next = await toggle(alice, channel.id);
    expect(next.body.data).toEqual({ subscribed: records === 0 });
    expect(await pairCount(alice, channel)).toBe(records === 0 ? 1 : 0);
  });

  it("counts every subscriber when 20 users subscribe at once", async () => {
    const channel = await createUser();
    const fans = await Promise.all(
      Array.from({ length: 20 }, () => createUser())
    );
    const answers = await Promise.all(
      fans.map((fan) => toggle(fan, channel.id))
    );
    for (const answer of answers) {
      expect(answer.body.data).toEqual({ subscribed: true });
    }
    expect(await Subscription.countDocuments({ channel: channel.id })).toBe(20);
    const subscribers = await api().get(`${channelUrl(channel.id)}?limit=100`);
    expect(subscribers.body.data.totalDocs).toBe(20);
    expect(subscribers.body.data.docs).toHaveLength(20);
  });

  it("answers 400 for subscribing to yourself", async () => {
    const alice = await createUser();
    expectErrorEnvelope(await toggle(alice, alice.id), 400);
    expect(await pairCount(alice, alice)).toBe(0);
  });

  it("answers 404 for a channel that does not exist", async () => {
    const alice = await createUser();
    const channelId = missingId();
    expectErrorEnvelope(await toggle(alice, channelId), 404);
    expect(await Subscription.countDocuments({ channel: channelId })).toBe(0);
  });

  it("answers 401 without a token", async () => {
    const channel = await createUser();
    expectErrorEnvelope(await api().post(channelUrl(channel.id)), 401);
    expect(await Subscription.countDocuments({ channel: channel.id })).toBe(0);
  });
});

describe("GET /subscriptions/c/:channelId", () => {
  it("lists the channel's subscribers, newest first, as public users with subscribedAt", async () => {
    const [channel, alice, bob] = [
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    await createSubscription(alice, channel, {
      createdAt: new Date("2024-01-01T00:00:00Z"),
    });
    await createSubscription(bob, channel, {
      createdAt: new Date("2024-01-02T00:00:00Z"),
    });
    await createSubscription(channel, bob);

    const response = await api().get(channelUrl(channel.id));
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ totalDocs: 2, page: 1 });
    const [first, second] = response.body.data.docs;
    expect(first).toEqual({
      ...publicViewOf(bob),
      subscribedAt: "2024-01-02T00:00:00.000Z",
      isSubscribed: false,
    });
    expect(second).toMatchObject({ _id: alice.id, isSubscribed: false });
    expect(
      leakedSecrets(response.body, [
        alice.user.email,
        bob.user.email,
        channel.user.email,
      ])
    ).toEqual([]);
  });

  it("tells a signed-in viewer which of the subscribers they subscribe to", async () => {
    const [channel, alice, bob] = [
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    await createSubscription(alice, channel);
    await createSubscription(bob, channel);
    await createSubscription(channel, bob);
    const response = await api()
      .get(channelUrl(channel.id))
      .set("Authorization", channel.bearer);
    const flags = Object.fromEntries(
      response.body.data.docs.map(
        (doc: { _id: string; isSubscribed: boolean }) => [
          doc._id,
          doc.isSubscribed,
        ]
      )
    );
    expect(flags).toEqual({ [alice.id]: false, [bob.id]: true });
  });

  it("paginates the subscribers", async () => {
    const channel = await createUser();
    for (let day = 1; day <= 3; day++) {
      await createSubscription(await createUser(), channel, {
        createdAt: new Date(`2024-01-0${day}T00:00:00Z`),
      });
    }
    const response = await api().get(
      `${channelUrl(channel.id)}?page=2&limit=2`
    );
    expect(response.body.data).toMatchObject({
      totalDocs: 3,
      totalPages: 2,
      page: 2,
      limit: 2,
      hasPrevPage: true,
      hasNextPage: false,
    });
    expect(response.body.data.docs).toHaveLength(1);
    expect(response.body.data.docs[0].subscribedAt).toBe(
      "2024-01-01T00:00:00.000Z"
    );
  });

  it("answers 404 for a channel that does not exist", async () => {
    expectErrorEnvelope(await api().get(channelUrl(missingId())), 404);
  });
});

describe("GET /subscriptions/u/:subscriberId", () => {
  it("lists the channels a user subscribes to, each with its subscribersCount", async () => {
    const [alice, popular, quiet, viewer] = [
      await createUser(),
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    await createSubscription(alice, quiet, {
      createdAt: new Date("2024-01-01T00:00:00Z"),
    });
    await createSubscription(alice, popular, {
      createdAt: new Date("2024-01-02T00:00:00Z"),
    });
    await createSubscription(viewer, popular);
    await createSubscription(await createUser(), popular);

    const response = await api()
      .get(subscriberUrl(alice.id))
      .set("Authorization", viewer.bearer);
    expect(response.status).toBe(200);
    expect(response.body.data.totalDocs).toBe(2);
    expect(response.body.data.docs).toEqual([
      {
        ...publicViewOf(popular),
        subscribedAt: "2024-01-02T00:00:00.000Z",
        subscribersCount: 3,
        isSubscribed: true,
      },
      expect.objectContaining({
        _id: quiet.id,
        subscribersCount: 1,
        isSubscribed: false,
      }),
    ]);
    expect(
      leakedSecrets(response.body, [
        alice.user.email,
        popular.user.email,
        quiet.user.email,
      ])
    ).toEqual([]);
  });

  it("answers an empty page for a user who subscribes to nobody", async () => {
    const alice = await createUser();
    const response = await api().get(subscriberUrl(alice.id));
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ docs: [], totalDocs: 0 });
  });

  it("answers 404 for a user who does not exist", async () => {
    expectErrorEnvelope(await api().get(subscriberUrl(missingId())), 404);
  });

  it("costs the same number of database commands for 10 channels as for 2", async () => {
    const [few, many, viewer] = [
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    for (let index = 0; index < 10; index++) {
      const channel = await createUser();
      await createSubscription(many, channel);
      await createSubscription(viewer, channel);
      if (index < 2) await createSubscription(few, channel);
    }
    const costOf = (user: TestUser, expected: number) =>
      countQueries(async () => {
        const response = await api()
          .get(subscriberUrl(user.id))
          .set("Authorization", viewer.bearer);
        expect(response.body.data.docs).toHaveLength(expected);
      });
    await warmAuth(viewer);
    expect(await costOf(many, 10)).toBe(await costOf(few, 2));
  });
});

describe("the subscriptions API document", () => {
  it("lists every subscriptions endpoint in the OpenAPI document", async () => {
    const response = await api().get("/api-docs/openapi.json");
    expectDocumented(response.body, {
      "/api/v1/subscriptions/c/{channelId}": ["get", "post"],
      "/api/v1/subscriptions/u/{subscriberId}": ["get"],
    });
  });
});
