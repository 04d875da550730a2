import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import { ApiError } from "../utils/ApiError.js";

const ACCEPTED_TYPES = [
  "application/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
];

const hasBody = (headers: Record<string, string | string[] | undefined>) =>
  headers["transfer-encoding"] !== undefined ||
  (headers["content-length"] !== undefined &&
    headers["content-length"] !== "0");

/**
 * Express 5 leaves `req.body` undefined for a type it does not parse; a body
 * of any other type is answered 415 instead of reaching a handler.
 */
export const rejectUnsupportedBody: RequestHandler = (req, _res, next) => {
  if (hasBody(req.headers) && !req.is(ACCEPTED_TYPES)) {
    next(
      new ApiError(
        415,
        `Unsupported content type: send ${ACCEPTED_TYPES.join(", ")}`
      )
    );
    return;
  }
  next();
};

/** Whether the request has a body the app has not read to its end. */
export const bodyUnread = (req: IncomingMessage) =>
  hasBody(req.headers) && !req.complete;
