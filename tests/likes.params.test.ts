import { beforeAll, describe, expect, it } from "vitest";
import { Like } from "../src/models/like.model.js";
import { createUser, type TestUser } from "./helpers/factories.js";
import { API, api } from "./helpers/http.js";
import { expectFieldError } from "./helpers/assertions.js";
import { BAD_IDS, BAD_PAGES } from "./helpers/bad-inputs.js";

let alice: TestUser;

beforeAll(async () => {
  alice = await createUser();
});

/** Sends `request` and checks that no like was stored while it ran. */
const storesNoLike = async <T>(request: () => PromiseLike<T>) => {
  const before = await Like.countDocuments();
  const response = await request();
  expect(await Like.countDocuments()).toBe(before);
  return response;
};

const TOGGLES = [
  ["v", "videoId"],
  ["c", "commentId"],
  ["t", "tweetId"],
] as const;

describe("likes: bad ids are 400", () => {
  for (const [letter, param] of TOGGLES) {
    for (const [why, badId] of BAD_IDS) {
      it(`POST /likes/toggle/${letter}/:${param} rejects an id that is ${why} and stores no like`, async () => {
        const response = await storesNoLike(() =>
          api()
            .post(`${API}/likes/toggle/${letter}/${badId}`)
            .set("Authorization", alice.bearer)
        );
        expectFieldError(response, param);
      });
    }
  }

  it("answers 404 (not 400 or 500) for an unknown kind of target, storing no like", async () => {
    const response = await storesNoLike(() =>
      api()
        .post(`${API}/likes/toggle/x/6650f3c2a1b2c3d4e5f60718`)
        .set("Authorization", alice.bearer)
    );
    expect(response.status).toBe(404);
  });
});

describe("likes: bad pagination is 400", () => {
  for (const [why, query] of BAD_PAGES) {
    it(`GET /likes/videos rejects ${why}`, async () => {
      const response = await api()
        .get(`${API}/likes/videos?${query}`)
        .set("Authorization", alice.bearer);
      expectFieldError(response, query.startsWith("page") ? "page" : "limit");
    });
  }
});
