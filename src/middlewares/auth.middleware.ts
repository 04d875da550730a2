import type { Request, RequestHandler } from "express";
import { isValidObjectId } from "mongoose";
import { Session } from "../models/session.model.js";
import { User, type UserDocument } from "../models/user.model.js";
import { verifyToken } from "../services/token.service.js";
import { ApiError } from "../utils/ApiError.js";

export interface Viewer {
  user: UserDocument;
  sessionId: string;
}

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

/**
 * The signed-in viewer, or undefined. The session and the user are looked up
 * on every request, so a revoked session or a deleted user stops working at
 * once rather than when the access token expires.
 */
async function viewerOf(req: Request): Promise<Viewer | undefined> {
  const token = accessTokenOf(req);
  if (token === undefined) return undefined;
  const claims = verifyToken("access", token);
  if (!claims || !isValidObjectId(claims.sid) || !isValidObjectId(claims.sub))
    return undefined;
  const [session, user] = await Promise.all([
    Session.exists({
      _id: claims.sid,
      user: claims.sub,
      expiresAt: { $gt: new Date() },
    }),
    User.findById(claims.sub),
  ]);
  if (!session || !user) return undefined;
  return { user, sessionId: claims.sid };
}

const unauthorized = () => new ApiError(401, "Unauthorized: sign in again");

export const authenticate: RequestHandler = async (req, res, next) => {
  const viewer = await viewerOf(req);
  if (!viewer) {
    next(unauthorized());
    return;
  }
  res.locals.viewer = viewer;
  next();
};

/** Like authenticate, but an anonymous request goes on without a viewer. */
export const optionalAuthenticate: RequestHandler = async (req, res, next) => {
  const viewer = await viewerOf(req);
  if (viewer) res.locals.viewer = viewer;
  next();
};

/** The signed-in viewer of a route behind `authenticate`. */
export function requireViewer(res: { locals: { viewer?: Viewer } }): Viewer {
  if (!res.locals.viewer) throw unauthorized();
  return res.locals.viewer;
}
