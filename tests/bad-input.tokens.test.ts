// Forged, expired and misused tokens, on both kinds of token: a JSON 401
// every time, and no session gained.
import { describe, expect, it } from "vitest";
import { Session } from "../src/models/session.model.js";
import { hashToken } from "../src/services/token.service.js";
import { createUser, type TestUser } from "./helpers/factories.js";
import { api, API, expectErrorEnvelope } from "./helpers/http.js";
import { badAccessTokens, badRefreshTokens } from "./helpers/tokens.js";

const reasons = <T>(make: (user: TestUser) => Record<string, T>) =>
  // The names only: the tokens are made per test, for that test's user.
  Object.keys(
    make({ id: "0".repeat(24), sessionId: "0".repeat(24) } as TestUser)
  );

describe("a bad access token", () => {
  it.each(reasons(badAccessTokens))(
    "%s: 401 on an endpoint outside /users, nothing written",
    async (reason) => {
      const alice = await createUser();
      const token = badAccessTokens(alice)[reason] as string;
      const response = await api()
        .post(`${API}/tweets`)
        .set("Authorization", `Bearer ${token}`)
        .send({ content: "should not be stored" });
      expectErrorEnvelope(response, 401);
    }
  );

  it.each(reasons(badAccessTokens))(
    "%s: 401 from the accessToken cookie too",
    async (reason) => {
      const alice = await createUser();
      const token = badAccessTokens(alice)[reason] as string;
      const response = await api()
        .get(`${API}/users/current-user`)
        .set("Cookie", `accessToken=${token}`);
      expectErrorEnvelope(response, 401);
    }
  );
});

describe("a bad refresh token", () => {
  // The session is made to expect the bad token itself, so only the token's
  // own check stands between it and a new pair.
  it.each(reasons(badRefreshTokens))(
    "%s: 401 even when the session holds its hash, and no session is made",
    async (reason) => {
      const alice = await createUser();
      const token = badRefreshTokens(alice)[reason] as string;
      await Session.updateOne(
        { _id: alice.sessionId },
        { $set: { refreshTokenHash: hashToken(token) } }
      );
      const sessionsBefore = await Session.countDocuments({ user: alice.id });
      for (const send of [
        () =>
          api()
            .post(`${API}/users/refresh-token`)
            .send({ refreshToken: token }),
        () =>
          api()
            .post(`${API}/users/refresh-token`)
            .set("Cookie", `refreshToken=${token}`),
      ]) {
        const response = await send();
        expectErrorEnvelope(response, 401);
        expect(JSON.stringify(response.body)).not.toContain("accessToken");
      }
      expect(await Session.countDocuments({ user: alice.id })).toBe(
        sessionsBefore
      );
    }
  );
});

describe("cookies that cookie-parser would turn into objects", () => {
  it.each([
    ["accessToken", "/users/current-user", "get"],
    ["refreshToken", "/users/refresh-token", "post"],
  ] as const)("a j: JSON %s cookie is a 401", async (name, path, method) => {
    for (const value of [
      'j:{"sub":"x","type":"access"}',
      'j:{"$ne":""}',
      "j:[1,2]",
    ]) {
      const request =
        method === "get"
          ? api().get(`${API}${path}`)
          : api().post(`${API}${path}`);
      const response = await request.set(
        "Cookie",
        `${name}=${encodeURIComponent(value)}`
      );
      expectErrorEnvelope(response, 401);
    }
  });
});
