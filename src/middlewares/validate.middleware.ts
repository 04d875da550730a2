import type { RequestHandler, Response } from "express";
import { z } from "zod";
import type { RequestShape } from "../schemas/openapi.js";
import { parseTextFields } from "./multer.middleware.js";

type Parsed<T> = T extends z.ZodType ? z.output<T> : Record<string, never>;

export interface ValidatedInput<S extends RequestShape> {
  params: Parsed<S["params"]>;
  query: Parsed<S["query"]>;
  body: Parsed<S["body"]>;
}

const empty = z.object({});

/**
 * Parses params, query and body with the endpoint's zod schemas and keeps the
 * parsed (trimmed, coerced, allow-listed) values in `res.locals.input`.
 * Express 5's `req.query` is a getter, so nothing is written back to `req`.
 * A failure is a ZodError, which the error table turns into a 400.
 */
export function validate<S extends RequestShape>(shape: S): RequestHandler {
  const schema = z.object({
    params: shape.params ?? empty,
    query: shape.query ?? empty,
    body: shape.body ?? empty,
  });
  const parse: RequestHandler = (req, res, next) => {
    const result = schema.safeParse({
      params: req.params,
      query: req.query,
      body: req.body ?? {},
    });
    if (!result.success) {
      // Paths name the field, not where it travelled ("email", not "body.email").
      for (const issue of result.error.issues) {
        if (issue.path.length > 1) issue.path.shift();
      }
      next(result.error);
      return;
    }
    res.locals.input = result.data;
    next();
  };
  return (req, res, next) => {
    // Upload routes parse their form before validate(); any other form
    // reaching an endpoint with a body is read here, text fields only.
    if (shape.body && req.body === undefined && req.is("multipart/form-data")) {
      parseTextFields(req, res, (error?: unknown) =>
        error ? next(error) : parse(req, res, next)
      );
      return;
    }
    parse(req, res, next);
  };
}

/** The values `validate(shape)` parsed for this request, typed by the same shape. */
export function inputOf<S extends RequestShape>(
  res: Response,
  _shape: S
): ValidatedInput<S> {
  return res.locals.input as ValidatedInput<S>;
}
