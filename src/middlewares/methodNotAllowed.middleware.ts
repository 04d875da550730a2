import type { RequestHandler } from "express";
import { openApiDocument } from "../schemas/openapi.js";
import { ApiError } from "../utils/ApiError.js";
import { escapeRegex } from "../utils/escapeRegex.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"];

interface DocumentedPath {
  pattern: RegExp;
  methods: string[];
}

let documentedPaths: DocumentedPath[] | undefined;

// Built on first use: by then every router has registered its endpoints.
// Matching is case-insensitive and allows a trailing slash, as Express routes.
function pathsOfDocument(): DocumentedPath[] {
  documentedPaths ??= Object.entries(openApiDocument().paths ?? {}).map(
    ([template, item]) => ({
      pattern: new RegExp(
        `^${template
          .split(/\{[^}]+\}/)
          .map(escapeRegex)
          .join("[^/]+")}/?$`,
        "i"
      ),
      methods: METHODS.filter(
        (method) => item[method as keyof typeof item]
      ).map((method) => method.toUpperCase()),
    })
  );
  return documentedPaths;
}

/**
 * Before the 404: a documented path asked with a method it does not take is
 * 405 with `Allow` (RFC 9110), so a client learns the path is right and the
 * method is not, instead of "route not found".
 */
export const methodNotAllowed: RequestHandler = (req, _res, next) => {
  const allowed = new Set(
    pathsOfDocument()
      .filter(({ pattern }) => pattern.test(req.path))
      .flatMap(({ methods }) => methods)
  );
  if (allowed.size === 0 || allowed.has(req.method)) {
    next();
    return;
  }
  const allow = [...allowed].join(", ");
  next(
    new ApiError(405, `${req.method} is not allowed here: use ${allow}`, [], {
      headers: { Allow: allow },
    })
  );
};
