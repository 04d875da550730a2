import type { RequestHandler } from "express";
import { BODY_LIMIT } from "../constants.js";
import { ApiError } from "../utils/ApiError.js";
import { errorHandler } from "./error.middleware.js";

const PARSED_TYPES = ["application/json", "application/x-www-form-urlencoded"];

const tooLarge = () => new ApiError(413, "Request body is too large");

/**
 * JSON and urlencoded bodies over BODY_LIMIT get their 413 as soon as that is
 * known: body-parser reads (and drops) the whole of an oversized body before
 * it answers, so a client could make the server take in 100 MB first. A
 * declared length is refused before a byte is read; a streamed (chunked)
 * body once its bytes pass the limit. The error handler then cuts the
 * connection after a short linger.
 */
export const rejectOversizedBody: RequestHandler = (req, res, next) => {
  if (!req.is(PARSED_TYPES)) {
    next();
    return;
  }
  const declared = req.headers["content-length"];
  if (declared !== undefined) {
    if (Number(declared) > BODY_LIMIT) next(tooLarge());
    else next();
    return;
  }
  let received = 0;
  const count = (chunk: Buffer) => {
    received += chunk.length;
    if (received <= BODY_LIMIT) return;
    req.off("data", count);
    // body-parser stops at the same byte and raises its own 413 only once
    // the body has ended; that one then finds this answer sent.
    if (!res.headersSent) errorHandler(tooLarge(), req, res, () => undefined);
  };
  req.on("data", count);
  next();
};
