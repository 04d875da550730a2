import type {
  ErrorRequestHandler,
  Request,
  RequestHandler,
  Response,
} from "express";
import mongoose from "mongoose";
import { ZodError } from "zod";
import { config } from "../config.js";
import { ApiError } from "../utils/ApiError.js";
import { closeAfterLinger } from "../utils/lingeringClose.js";
import { isDuplicateKeyError } from "../db/engine/index.js";
import { isDatabaseUnavailable } from "../utils/mongoErrors.js";
import { bodyUnread } from "./content-type.middleware.js";
import { mediaErrorRules } from "./media-errors.js";

type ErrorRule = (error: unknown) => ApiError | undefined;

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

const asHttpLike = (error: unknown): HttpLikeError =>
  typeof error === "object" && error !== null ? (error as HttpLikeError) : {};

const BODY_PARSER_ERRORS: Record<string, [number, string]> = {
  "entity.parse.failed": [400, "Malformed JSON in request body"],
  "entity.too.large": [413, "Request body is too large"],
  "encoding.unsupported": [415, "Unsupported content encoding"],
  "charset.unsupported": [415, "Unsupported charset"],
  "parameters.too.many": [413, "Too many parameters in request body"],
  "entity.verify.failed": [400, "Request body could not be verified"],
  "request.aborted": [400, "Request aborted"],
  "stream.encoding.set": [500, "Internal server error"],
};

/**
 * The one error table: every error a request can raise, and what the client
 * sees for it. The first rule that recognises the error wins.
 */
const errorTable: ErrorRule[] = [
  (error) => (error instanceof ApiError ? error : undefined),

  (error) =>
    error instanceof ZodError
      ? new ApiError(
          400,
          "Validation failed",
          error.issues.map((issue) => ({
            path: issue.path.map(String).join("."),
            message: issue.message,
          }))
        )
      : undefined,

  (error) =>
    error instanceof mongoose.Error.CastError
      ? new ApiError(400, `Invalid value for ${error.path}`, [
          { path: error.path, message: `Invalid ${error.kind}` },
        ])
      : undefined,

  (error) =>
    error instanceof mongoose.Error.ValidationError
      ? new ApiError(
          400,
          "Validation failed",
          Object.values(error.errors).map((fieldError) => ({
            path: fieldError.path,
            message: fieldError.message,
          }))
        )
      : undefined,

  (error) =>
    isDuplicateKeyError(error)
      ? new ApiError(409, "A record with this value already exists")
      : undefined,

  (error) =>
    isDatabaseUnavailable(error)
      ? new ApiError(503, "Database unavailable, try again shortly", [], {
          headers: { "Retry-After": "5" },
        })
      : undefined,

  ...mediaErrorRules,

  (error) => {
    const { type } = asHttpLike(error);
    const known = type === undefined ? undefined : BODY_PARSER_ERRORS[type];
    return known ? new ApiError(known[0], known[1]) : undefined;
  },

  // Other http-errors style errors (raised by Express internals or its
  // dependencies) carry a client status that is safe to pass on.
  (error) => {
    const { status, statusCode, expose, message } = asHttpLike(error);
    const code = status ?? statusCode;
    return typeof code === "number" && code >= 400 && code < 500
      ? new ApiError(code, expose && message ? message : "Bad request")
      : undefined;
  },
];

export function toApiError(error: unknown): ApiError | undefined {
  for (const rule of errorTable) {
    const mapped = rule(error);
    if (mapped) return mapped;
  }
  return undefined;
}

function closeSoonAfter(req: Request, res: Response) {
  res.once("finish", () => {
    if (!req.complete) closeAfterLinger(req.socket, req);
  });
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, `Route not found: ${req.method} ${req.path}`));
};

export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) {
    // Too late for an envelope: let Express close the connection, unless
    // the answer is already complete (an oversized body refused while
    // body-parser was still reading it; that connection closes on its own).
    if (!res.writableEnded) next(error);
    return;
  }

  const mapped = toApiError(error);
  const apiError =
    mapped ??
    new ApiError(500, "Internal server error", [], { cause: error as unknown });

  // Every unmapped error is a 500, so it is logged here too.
  if (apiError.statusCode >= 500)
    req.log?.error({ err: error }, "request failed");

  const body: Record<string, unknown> = apiError.toJSON();
  if (apiError.statusCode >= 500) body.requestId = String(req.id ?? "");
  const development = !config.isProduction && !config.isTest;
  if (development && apiError.statusCode >= 500 && error instanceof Error) {
    body.stack = error.stack;
  }

  // Answered before the body was read (413 by its declared length, 415, a
  // 401 ahead of an upload): Node would read all the rest to keep the
  // connection alive.
  if (bodyUnread(req)) closeSoonAfter(req, res);
  res.set(apiError.headers).status(apiError.statusCode).json(body);
};
