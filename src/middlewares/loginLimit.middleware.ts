import type {
  ErrorRequestHandler,
  Request,
  RequestHandler,
  Response,
} from "express";
import type { ClientRateLimitInfo, Store } from "express-rate-limit";
import { config } from "../config.js";
import { ApiError } from "../utils/ApiError.js";
import { logger } from "../utils/logger.js";
import { counterStore } from "../utils/rateLimitStore.js";
import { loginAccountOf } from "./loginAccount.middleware.js";
import { clientIpKey, tooManyAttempts } from "./rateLimit.middleware.js";

const { rateLimits } = config;

// Failed logins are counted when the password check fails, and a login is
// refused only when its counters are already over the limit. (express-rate-
// limit's skipSuccessfulRequests counts every login first and takes correct
// ones back when they finish: 50 correct logins in flight from one office
// were refused, and a client that hung up stayed counted for the window.)
interface FailureLimit {
  name: string;
  limit: number;
  store: Store;
  keyOf: (req: Request, res: Response) => string;
}

const ipFailures: FailureLimit = {
  name: "login-ip",
  limit: rateLimits.loginFailuresPerIp,
  store: counterStore("login-ip", rateLimits.loginWindowMs),
  keyOf: clientIpKey,
};

/**
 * An existing account is keyed by its id, so switching between its email and
 * its username does not double the limit; a name no account has is keyed by
 * the name itself.
 */
const accountFailures: FailureLimit = {
  name: "login-account",
  limit: rateLimits.loginFailuresPerAccount,
  store: counterStore("login-account", rateLimits.loginWindowMs),
  keyOf: (_req, res) => {
    const { user, name } = loginAccountOf(res);
    return user ? `user:${user.id as string}` : `name:${name}`;
  },
};

const windowSeconds = Math.ceil(rateLimits.loginWindowMs / 1000);

/** The draft-8 RateLimit headers express-rate-limit sends for the classes. */
function setLimitHeaders(
  res: Response,
  { name, limit }: FailureLimit,
  failures: number,
  secondsLeft: number
) {
  res.append("RateLimit-Policy", `"${name}"; q=${limit}; w=${windowSeconds}`);
  res.append(
    "RateLimit",
    `"${name}"; r=${Math.max(0, limit - failures)}; t=${secondsLeft}`
  );
}

async function failuresOf(
  { store, keyOf }: FailureLimit,
  req: Request,
  res: Response
): Promise<ClientRateLimitInfo | undefined> {
  try {
    return await store.get?.(keyOf(req, res));
  } catch (error) {
    // Like the class limits, a Redis outage lets logins through.
    logger.warn({ err: error }, "reading login failures failed");
    return undefined;
  }
}

function refuseWhenOver(failureLimit: FailureLimit): RequestHandler {
  return async (req, res, next) => {
    const counted = await failuresOf(failureLimit, req, res);
    const failures = counted?.totalHits ?? 0;
    const secondsLeft = counted?.resetTime
      ? Math.max(
          1,
          Math.ceil((counted.resetTime.getTime() - Date.now()) / 1000)
        )
      : windowSeconds;
    setLimitHeaders(res, failureLimit, failures, secondsLeft);
    if (failures >= failureLimit.limit) {
      next(tooManyAttempts(String(secondsLeft)));
      return;
    }
    next();
  };
}

/** Refuses a login from an address with too many recent failures. */
export const loginIpLimit = refuseWhenOver(ipFailures);

/**
 * Refuses a login to an account with too many recent failures (even with the
 * right password: otherwise the answer would tell a guess was right), so a
 * password cannot be guessed from many addresses either. Runs after
 * loadLoginAccount.
 */
export const loginAccountLimit = refuseWhenOver(accountFailures);

/**
 * Counts a failed password check against the address and the account before
 * the 401 is sent, then passes the error on.
 */
export const countLoginFailure: ErrorRequestHandler = async (
  error: unknown,
  req,
  res,
  next
) => {
  if (error instanceof ApiError && error.statusCode === 401) {
    await Promise.all(
      [ipFailures, accountFailures].map(({ store, keyOf }) =>
        store.increment(keyOf(req, res))
      )
    ).catch((storeError: unknown) =>
      logger.warn({ err: storeError }, "counting a failed login failed")
    );
  }
  next(error);
};
