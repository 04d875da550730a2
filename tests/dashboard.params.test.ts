import { beforeAll, describe, it } from "vitest";
import { createUser, type TestUser } from "./helpers/factories.js";
import { expectFieldError } from "./helpers/assertions.js";
import { API, api } from "./helpers/http.js";

let alice: TestUser;

beforeAll(async () => {
  alice = await createUser();
});

describe("dashboard: bad input answers 400", () => {
  it.each([
    ["page=0", "page"],
    ["page=-3", "page"],
    ["page=abc", "page"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=2.5", "limit"],
  ])("GET /videos?%s", async (query, field) => {
    const res = await api()
      .get(`${API}/dashboard/videos?${query}`)
      .set("Authorization", alice.bearer);
    expectFieldError(res, field);
  });
});
