import { describe, expect, it } from "vitest";
import { createUser } from "./helpers/factories.js";
import { api, API, expectErrorEnvelope } from "./helpers/http.js";
import { badAccessTokens } from "./helpers/tokens.js";

type Method = "get" | "post" | "patch";

/** A request of `method` to `path`: prettier would split `api()[method]` onto two lines. */
const call = (method: Method, path: string) => api()[method](`${API}${path}`);

const authenticated: [method: Method, path: string][] = [
  ["post", "/users/logout"],
  ["post", "/users/change-password"],
  ["get", "/users/current-user"],
  ["patch", "/users/update-account"],
  ["patch", "/users/avatar"],
  ["patch", "/users/cover-image"],
  ["get", "/users/history"],
];

describe("every authenticated /users endpoint", () => {
  it.each(authenticated)(
    "%s %s answers 401 without a token and for each bad token",
    async (method, path) => {
      const alice = await createUser();
      expectErrorEnvelope(await call(method, path), 401);
      for (const [reason, token] of Object.entries(badAccessTokens(alice))) {
        const response = await call(method, path).set(
          "Authorization",
          `Bearer ${token}`
        );
        expect(response.status, reason).toBe(401);
      }
    }
  );

  it.each(authenticated)(
    "%s %s answers 401 once the session is revoked by logout",
    async (method, path) => {
      const alice = await createUser();
      await api()
        .post(`${API}/users/logout`)
        .set("Authorization", alice.bearer);
      expectErrorEnvelope(
        await call(method, path).set("Authorization", alice.bearer),
        401
      );
    }
  );
});
