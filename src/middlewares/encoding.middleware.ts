import { isUtf8 } from "node:buffer";
import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import { ApiError } from "../utils/ApiError.js";

// body-parser passes a verify error on with its statusCode: an ApiError goes
// through the error table as it is.
const invalidUtf8 = (where: string) =>
  new ApiError(400, `${where} is not valid UTF-8`);

/** Percent-escapes that decode to UTF-8 (a URIError otherwise). */
const decodesAsUtf8 = (encoded: string) => {
  try {
    decodeURIComponent(encoded.replace(/\+/g, " "));
    return true;
  } catch {
    return false;
  }
};

/**
 * The body parsers' `verify` hook. Without it, bytes that are not UTF-8 (raw,
 * or percent-escaped in a form) reach the handlers as U+FFFD or as the escape
 * itself, and are stored as something the client never sent.
 */
export function requireUtf8Body(
  req: IncomingMessage,
  _res: unknown,
  body: Buffer
): void {
  const form = (req.headers["content-type"] ?? "").startsWith(
    "application/x-www-form-urlencoded"
  );
  if (!isUtf8(body) || (form && !decodesAsUtf8(body.toString("utf8"))))
    throw invalidUtf8("Request body");
}

/**
 * Express's "simple" query parser turns an escape that is not UTF-8 into
 * U+FFFD (`%FF`) or keeps it as typed (`100%`): either way the handler would
 * search for text the client did not send.
 */
export const rejectMalformedQuery: RequestHandler = (req, _res, next) => {
  const start = req.url.indexOf("?");
  if (start !== -1 && !decodesAsUtf8(req.url.slice(start + 1))) {
    next(invalidUtf8("Query string"));
    return;
  }
  next();
};
