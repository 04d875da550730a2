import type { NextFunction, Request, RequestHandler, Response } from "express";

type AsyncRequestHandler = (
  req: Request,
  res: Response,
  next: NextFunction
) => unknown;

/**
 * Wraps a handler so that a thrown error or a rejected promise reaches the
 * error handler. The notes' version had braces around its body and so
 * returned `undefined` instead of the handler.
 */
export const asyncHandler =
  (handler: AsyncRequestHandler): RequestHandler =>
  (req, res, next) =>
    Promise.resolve()
      .then(() => handler(req, res, next))
      .catch(next);
