import type { Request, RequestHandler } from "express";
import { rateLimit, type Options } from "express-rate-limit";
import { config } from "../config.js";
import { User } from "../models/user.model.js";
import { ApiError } from "../utils/ApiError.js";

const { rateLimits } = config;

// The store is express-rate-limit's memory store; it is pluggable (Redis,
// MongoDB, ...) when several instances must share counts.
const common: Partial<Options> = {
  standardHeaders: "draft-8",
  legacyHeaders: false,
  handler: (_req, res, next, options) => {
    const retryAfter = res.getHeader("Retry-After");
    next(
      new ApiError(
        options.statusCode,
        "Too many attempts, try again later",
        [],
        {
          headers:
            retryAfter === undefined
              ? {}
              : { "Retry-After": String(retryAfter) },
        }
      )
    );
  },
};

/** Failed logins per client IP; successful ones do not count. */
export const loginIpLimit: RequestHandler = rateLimit({
  ...common,
  windowMs: rateLimits.loginWindowMs,
  limit: rateLimits.loginFailuresPerIp,
  skipSuccessfulRequests: true,
  identifier: "login-ip",
});

/**
 * The account a login names. An existing account is keyed by its id, so
 * switching between its email and its username does not double the limit;
 * a name no account has is keyed by the name itself.
 */
const accountOf = async (req: Request): Promise<string> => {
  const body = (req.body ?? {}) as { email?: unknown; username?: unknown };
  const byEmail = typeof body.email === "string";
  const name = byEmail ? body.email : body.username;
  if (typeof name !== "string") return "none";
  const normalized = name.trim().toLowerCase();
  const user = await User.exists(
    byEmail ? { email: normalized } : { username: normalized }
  );
  return user ? `user:${String(user._id)}` : `name:${normalized}`;
};

/**
 * Failed logins per account, so a password cannot be guessed from many
 * addresses either.
 */
export const loginAccountLimit: RequestHandler = rateLimit({
  ...common,
  windowMs: rateLimits.loginWindowMs,
  limit: rateLimits.loginFailuresPerAccount,
  skipSuccessfulRequests: true,
  keyGenerator: accountOf,
  identifier: "login-account",
});

export const registrationLimit: RequestHandler = rateLimit({
  ...common,
  windowMs: rateLimits.registrationWindowMs,
  limit: rateLimits.registrationsPerIp,
  identifier: "register-ip",
});
