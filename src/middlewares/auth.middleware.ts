import type { Request, RequestHandler } from "express";
import { isValidObjectId } from "mongoose";
import { checkToken } from "../services/token.service.js";
import { findViewerUser } from "../services/viewer.service.js";
import type { Viewer } from "../types/auth.js";
import { ApiError } from "../utils/ApiError.js";

declare module "express-serve-static-core" {
  interface Locals {
    /** Set by authenticate / optionalAuthenticate. */
    viewer?: Viewer;
  }
}

/**
 * The access token from `Authorization: Bearer` or the `accessToken` cookie.
 * The header wins: it is what the client chose for this request, while a
 * cookie may be a stale one the browser still holds.
 */
function accessTokenOf(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  if (match?.[1]) return match[1];
  // cookie-parser turns `j:` cookies into objects: only a string is a token.
  const cookie: unknown = req.cookies?.accessToken;
  return typeof cookie === "string" && cookie !== "" ? cookie : undefined;
}

type AuthOutcome =
  | { viewer: Viewer }
  | { problem: "missing" | "expired" | "invalid" | "revoked" };

const PROBLEMS = {
  missing: ["Authentication required", 'Bearer realm="videotube"'],
  expired: [
    "Access token expired: refresh it",
    'Bearer error="invalid_token", error_description="expired"',
  ],
  invalid: ["Invalid access token", 'Bearer error="invalid_token"'],
  revoked: [
    "Session ended: sign in again",
    'Bearer error="invalid_token", error_description="revoked"',
  ],
} as const;

/**
 * Who is calling. The session and the user are checked on every request
 * (from viewer.service's caches), so a revoked session stops working at once
 * on this instance and within AUTH_CACHE_TTL_MS on others, rather than when
 * the access token expires.
 */
export async function authenticateRequest(req: Request): Promise<AuthOutcome> {
  const token = accessTokenOf(req);
  if (token === undefined) return { problem: "missing" };
  const checked = checkToken("access", token);
  if (!("claims" in checked)) return { problem: checked.problem };
  const { sid, sub } = checked.claims;
  if (!isValidObjectId(sid) || !isValidObjectId(sub))
    return { problem: "invalid" };
  const user = await findViewerUser(sid, sub);
  if (!user) return { problem: "revoked" };
  return { viewer: { user, sessionId: sid } };
}

/**
 * 401 with a message and a WWW-Authenticate header that tell an SPA whether
 * refreshing can help ("expired") or only signing in again can.
 */
export const unauthorized = (problem: keyof typeof PROBLEMS = "missing") => {
  const [message, challenge] = PROBLEMS[problem];
  return new ApiError(401, message, [], {
    headers: { "WWW-Authenticate": challenge },
  });
};

export const authenticate: RequestHandler = async (req, res, next) => {
  const outcome = await authenticateRequest(req);
  if (!("viewer" in outcome)) {
    next(unauthorized(outcome.problem));
    return;
  }
  res.locals.viewer = outcome.viewer;
  next();
};

/**
 * For endpoints that anyone may call: no token means an anonymous viewer,
 * but a token that does not work is a 401, so an SPA learns to refresh
 * instead of silently seeing the anonymous answer (its owner's unpublished
 * video as a 404, say).
 */
export const optionalAuthenticate: RequestHandler = async (req, res, next) => {
  const outcome = await authenticateRequest(req);
  if ("viewer" in outcome) {
    res.locals.viewer = outcome.viewer;
  } else if (outcome.problem !== "missing") {
    next(unauthorized(outcome.problem));
    return;
  }
  next();
};

/** The signed-in viewer of a route behind `authenticate`. */
export function requireViewer(res: { locals: { viewer?: Viewer } }): Viewer {
  if (!res.locals.viewer) throw unauthorized();
  return res.locals.viewer;
}
