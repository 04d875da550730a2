import type { Request, RequestHandler, Response } from "express";
import { ipKeyGenerator, rateLimit, type Options } from "express-rate-limit";
import { config } from "../config.js";
import { ApiError } from "../utils/ApiError.js";
import { rateLimitStore } from "../utils/rateLimitStore.js";

const { rateLimits } = config;

export const tooManyAttempts = (retryAfterSeconds: string | undefined) =>
  new ApiError(429, "Too many attempts, try again later", [], {
    headers:
      retryAfterSeconds === undefined
        ? {}
        : { "Retry-After": retryAfterSeconds },
  });

/** The client's address, with an IPv6 client's whole /56 as one address. */
export const clientIpKey = (req: Request): string =>
  `ip:${ipKeyGenerator(req.ip ?? "")}`;

const common: Partial<Options> = {
  // RateLimit and RateLimit-Policy (IETF draft 8), Retry-After on 429.
  standardHeaders: "draft-8",
  legacyHeaders: false,
  // A Redis outage lets requests through rather than failing all of them:
  // the limits protect capacity, they do not guard data.
  passOnStoreError: true,
  handler: (_req, res, next) => {
    const retryAfter = res.getHeader("Retry-After");
    next(
      tooManyAttempts(retryAfter === undefined ? undefined : String(retryAfter))
    );
  },
};

/**
 * A signed-in caller is counted as its account, so the people of one office
 * behind one NAT address do not share a budget; anyone else by address.
 * Runs after authenticate / optionalAuthenticate.
 */
const viewerOrIpKey = (req: Request, res: Response): string => {
  const viewer = res.locals.viewer;
  return viewer ? `user:${String(viewer.user._id)}` : clientIpKey(req);
};

function classLimit(name: string, limit: number): RequestHandler {
  return rateLimit({
    ...common,
    windowMs: rateLimits.classWindowMs,
    limit,
    keyGenerator: viewerOrIpKey,
    identifier: name,
    store: rateLimitStore(name),
  });
}

/** Sign-in, sign-up, refresh and sign-out, per address. */
export const authLimit: RequestHandler = rateLimit({
  ...common,
  windowMs: rateLimits.classWindowMs,
  limit: rateLimits.auth,
  keyGenerator: clientIpKey,
  identifier: "auth",
  store: rateLimitStore("auth"),
});
/** Requests that carry a file (video, thumbnail, avatar, cover image). */
export const uploadLimit = classLimit("uploads", rateLimits.uploads);
/** Every other change. */
export const writeLimit = classLimit("writes", rateLimits.writes);
/** Pages and lists. */
export const readLimit = classLimit("reads", rateLimits.reads);

export const registrationLimit: RequestHandler = rateLimit({
  ...common,
  windowMs: rateLimits.registrationWindowMs,
  limit: rateLimits.registrationsPerIp,
  keyGenerator: clientIpKey,
  identifier: "register-ip",
  store: rateLimitStore("register-ip"),
});
