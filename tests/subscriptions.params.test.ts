import { beforeAll, describe, expect, it } from "vitest";
import { Subscription } from "../src/models/subscription.model.js";
import { createUser, type TestUser } from "./helpers/factories.js";
import { API, api } from "./helpers/http.js";
import { expectFieldError } from "./helpers/assertions.js";
import { BAD_IDS, BAD_PAGES } from "./helpers/bad-inputs.js";

let alice: TestUser;

beforeAll(async () => {
  alice = await createUser();
});

describe("subscriptions: bad ids are 400", () => {
  for (const [why, badId] of BAD_IDS) {
    it(`POST /subscriptions/c/:channelId rejects a channelId that is ${why}`, async () => {
      expectFieldError(
        await api()
          .post(`${API}/subscriptions/c/${badId}`)
          .set("Authorization", alice.bearer),
        "channelId"
      );
    });

    it(`GET /subscriptions/c/:channelId rejects a channelId that is ${why}`, async () => {
      expectFieldError(
        await api().get(`${API}/subscriptions/c/${badId}`),
        "channelId"
      );
    });

    it(`GET /subscriptions/u/:subscriberId rejects a subscriberId that is ${why}`, async () => {
      expectFieldError(
        await api().get(`${API}/subscriptions/u/${badId}`),
        "subscriberId"
      );
    });
  }

  it("stored no subscription for the rejected ids", async () => {
    expect(await Subscription.countDocuments({ subscriber: alice.id })).toBe(0);
  });
});

describe("subscriptions: bad pagination is 400", () => {
  for (const [why, query] of BAD_PAGES) {
    it(`GET /subscriptions/c/:channelId rejects ${why}`, async () => {
      const response = await api().get(
        `${API}/subscriptions/c/${alice.id}?${query}`
      );
      expectFieldError(response, query.startsWith("page") ? "page" : "limit");
    });

    it(`GET /subscriptions/u/:subscriberId rejects ${why}`, async () => {
      const response = await api().get(
        `${API}/subscriptions/u/${alice.id}?${query}`
      );
      expectFieldError(response, query.startsWith("page") ? "page" : "limit");
    });
  }
});
