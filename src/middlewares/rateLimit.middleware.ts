import type { Request, RequestHandler } from "express";
import { rateLimit, type Options } from "express-rate-limit";
import { config } from "../config.js";
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

const accountOf = (req: Request): string => {
  const body = (req.body ?? {}) as { email?: unknown; username?: unknown };
  const account = typeof body.email === "string" ? body.email : body.username;
  return typeof account === "string" ? account.trim().toLowerCase() : "";
};

/**
 * Failed logins per account (email or username as typed, lowercased), so a
 * password cannot be guessed from many addresses either.
 */
export const loginAccountLimit: RequestHandler = rateLimit({
  ...common,
  windowMs: rateLimits.loginWindowMs,
  limit: rateLimits.loginFailuresPerAccount,
  skipSuccessfulRequests: true,
  keyGenerator: (req) => `account:${accountOf(req)}`,
  identifier: "login-account",
});

export const registrationLimit: RequestHandler = rateLimit({
  ...common,
  windowMs: rateLimits.registrationWindowMs,
  limit: rateLimits.registrationsPerIp,
  identifier: "register-ip",
});
