import { createHmac } from "node:crypto";
import jwt from "jsonwebtoken";
import { config } from "../../src/config.js";
import type { TestUser } from "./factories.js";

const base64url = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString("base64url");

/** A JWT with any header, HMAC-SHA256-signed with `key` as given. */
function handSigned(
  header: object,
  claims: object,
  key: string | Buffer
): string {
  const unsigned = `${base64url(header)}.${base64url(claims)}`;
  const signature = createHmac("sha256", key)
    .update(unsigned)
    .digest("base64url");
  return `${unsigned}.${signature}`;
}

/** Tokens of `type` that must all be refused, each for one reason. */
function badTokens(
  user: TestUser,
  type: "access" | "refresh"
): Record<string, string> {
  const claims = { sid: user.sessionId, type };
  const keys = {
    access: config.auth.accessTokenKey,
    refresh: config.auth.refreshTokenKey,
  };
  const otherType = type === "access" ? "refresh" : "access";
  const [key, otherKey] = [keys[type], keys[otherType]];
  const live = {
    ...claims,
    sub: user.id,
    exp: Math.floor(Date.now() / 1000) + 300,
  };
  return {
    expired: jwt.sign(claims, key, {
      algorithm: "HS256",
      subject: user.id,
      expiresIn: -10,
    }),
    [`${otherType} token used as ${type} token`]:
      type === "access" ? user.refreshToken : user.accessToken,
    "wrong type claim": jwt.sign({ ...claims, type: otherType }, key, {
      algorithm: "HS256",
      subject: user.id,
      expiresIn: "5m",
    }),
    [`signed with the ${otherType} secret`]: jwt.sign(claims, otherKey, {
      algorithm: "HS256",
      subject: user.id,
      expiresIn: "5m",
    }),
    "signed with HS512": jwt.sign(claims, key, {
      algorithm: "HS512",
      subject: user.id,
      expiresIn: "5m",
    }),
    "without exp": jwt.sign(claims, key, {
      algorithm: "HS256",
      subject: user.id,
    }),
    "signed with another secret": jwt.sign(
      claims,
      "another secret of at least 32 bytes!!",
      {
        algorithm: "HS256",
        subject: user.id,
        expiresIn: "5m",
      }
    ),
    "alg none": `${base64url({ alg: "none", typ: "JWT" })}.${base64url(live)}.`,
    // A kid that names a file whose content is known (empty) or a key id the
    // server never issued: the server must not pick its key from the token.
    "forged kid naming /dev/null, signed with an empty key": handSigned(
      { alg: "HS256", typ: "JWT", kid: "../../../../../../dev/null" },
      live,
      Buffer.alloc(0)
    ),
    "forged kid with SQL, signed with its own key": handSigned(
      { alg: "HS256", typ: "JWT", kid: "x' UNION SELECT 'attacker-key" },
      live,
      "attacker-key"
    ),
    garbage: "not.a.token",
  };
}

/** Access tokens that must all be refused, each for one reason. */
export const badAccessTokens = (user: TestUser) => badTokens(user, "access");

/** Refresh tokens that must all be refused, each for one reason. */
export const badRefreshTokens = (user: TestUser) => badTokens(user, "refresh");
