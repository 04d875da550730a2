import { createHash, randomUUID } from "node:crypto";
import jwt, { type SignOptions } from "jsonwebtoken";
import { config } from "../config.js";

export type TokenType = "access" | "refresh";

export interface TokenClaims {
  /** The user id. */
  sub: string;
  /** The session id: revoking the session ends both of its tokens. */
  sid: string;
  type: TokenType;
}

const keys = {
  access: config.auth.accessTokenKey,
  refresh: config.auth.refreshTokenKey,
};

const expiries: Record<TokenType, string> = {
  access: config.auth.accessTokenExpiry,
  refresh: config.auth.refreshTokenExpiry,
};

const asExpiresIn = (value: string): SignOptions["expiresIn"] =>
  /^\d+$/.test(value) ? Number(value) : (value as SignOptions["expiresIn"]);

export function signToken(
  type: TokenType,
  userId: string,
  sessionId: string
): string {
  return jwt.sign({ sid: sessionId, type }, keys[type], {
    algorithm: "HS256",
    subject: userId,
    expiresIn: asExpiresIn(expiries[type]),
    // A fresh id makes every rotated refresh token differ, even within a second.
    jwtid: randomUUID(),
  });
}

/**
 * Verifies a token of one kind: the algorithm is pinned (no "none", no
 * HS512 with a guessed key), `exp` must be present, and an access token is
 * never accepted as a refresh token or the other way round (different keys
 * and a `type` claim). Returns undefined for anything invalid.
 */
export function verifyToken(
  type: TokenType,
  token: string
): TokenClaims | undefined {
  const result = checkToken(type, token);
  return "claims" in result ? result.claims : undefined;
}

export type TokenCheck =
  { claims: TokenClaims } | { problem: "expired" | "invalid" };

/** Like verifyToken, but says why a token was refused (an SPA refreshes on "expired"). */
export function checkToken(type: TokenType, token: string): TokenCheck {
  try {
    const payload = jwt.verify(token, keys[type], { algorithms: ["HS256"] });
    if (
      typeof payload !== "object" ||
      typeof payload.exp !== "number" ||
      payload.type !== type ||
      typeof payload.sub !== "string" ||
      typeof payload.sid !== "string"
    ) {
      return { problem: "invalid" };
    }
    return { claims: { sub: payload.sub, sid: payload.sid, type } };
  } catch (error) {
    return {
      problem: error instanceof jwt.TokenExpiredError ? "expired" : "invalid",
    };
  }
}

/** Refresh tokens are long random JWTs: SHA-256 is enough to store them. */
export const hashToken = (token: string) =>
  createHash("sha256").update(token).digest("hex");
