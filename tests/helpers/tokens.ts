import jwt from "jsonwebtoken";
import { config } from "../../src/config.js";
import type { TestUser } from "./factories.js";

/** Tokens that must all be refused, each for one reason. */
export function badAccessTokens(user: TestUser): Record<string, string> {
  const claims = { sid: user.sessionId, type: "access" };
  const key = config.auth.accessTokenKey;
  return {
    expired: jwt.sign(claims, key, {
      algorithm: "HS256",
      subject: user.id,
      expiresIn: -10,
    }),
    "refresh token used as access token": user.refreshToken,
    "wrong type claim": jwt.sign({ ...claims, type: "refresh" }, key, {
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
    "alg none": `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(
      JSON.stringify({
        ...claims,
        sub: user.id,
        exp: Math.floor(Date.now() / 1000) + 300,
      })
    ).toString("base64url")}.`,
    garbage: "not.a.token",
  };
}
