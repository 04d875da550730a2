import type { Request, RequestHandler, Response } from "express";
import { rateLimit, type Options } from "express-rate-limit";
import { config } from "../config.js";
import { ApiError } from "../utils/ApiError.js";
import { loginAccountOf } from "./loginAccount.middleware.js";

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
 * The account a login names, loaded by loadLoginAccount. An existing account
 * is keyed by its id, so switching between its email and its username does
 * not double the limit; a name no account has is keyed by the name itself.
 */
const accountKey = (_req: Request, res: Response): string => {
  const { user, name } = loginAccountOf(res);
  return user ? `user:${user.id as string}` : `name:${name}`;
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
  keyGenerator: accountKey,
  identifier: "login-account",
});

export const registrationLimit: RequestHandler = rateLimit({
  ...common,
  windowMs: rateLimits.registrationWindowMs,
  limit: rateLimits.registrationsPerIp,
  identifier: "register-ip",
});
