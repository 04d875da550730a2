import { stat } from "node:fs/promises";
import path from "node:path";
import express, { type RequestHandler } from "express";
import { ApiError } from "../utils/ApiError.js";

const isInside = (dir: string, target: string) => {
  const relative = path.relative(dir, target);
  return (
    relative === "" ||
    (!relative.startsWith("..") && !path.isAbsolute(relative))
  );
};

const decodedPath = (requestPath: string): string | undefined => {
  try {
    return decodeURIComponent(requestPath);
  } catch {
    return undefined;
  }
};

/** The file a request path names, resolved the way serve-static resolves it. */
const fileOf = (dir: string, decoded: string) =>
  path.resolve(dir, `.${path.posix.normalize(`/${decoded}`)}`);

const ONE_RANGE = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i;

/**
 * Whether send() can answer `range` for a file of `size` bytes with one part.
 * undefined: not a byte range at all, which HTTP says to ignore (a 200).
 */
function servesOneRange(range: string, size: number): boolean | undefined {
  if (!/^bytes=/i.test(range.trim())) return undefined;
  const [, first = "", last = ""] = ONE_RANGE.exec(range.trim()) ?? [];
  if (range.includes(",")) return false;
  if (first === "" && last === "") return undefined;
  if (first === "") return Number(last) > 0 && size > 0;
  const start = Number(first);
  return start < size && (last === "" || Number(last) >= start);
}

/**
 * serve-static answers an unsatisfiable range with a 416 in the file's type
 * and no envelope, and a list of ranges with the whole file or their union:
 * here either is a JSON 416 that names the size, as HTTP asks.
 */
const rangeGuard =
  (dir: string): RequestHandler =>
  async (req, _res, next) => {
    const range = req.headers.range;
    const decoded = decodedPath(req.path);
    if (range === undefined || decoded === undefined) {
      next();
      return;
    }
    const file = await stat(fileOf(dir, decoded)).catch(() => undefined);
    if (!file?.isFile() || servesOneRange(range, file.size) !== false) {
      next();
      return;
    }
    next(
      new ApiError(
        416,
        "Range not satisfiable: ask for one byte range inside the file",
        [],
        { headers: { "Content-Range": `bytes */${file.size}` } }
      )
    );
  };

/**
 * `express.static(publicDir)` that never serves `hiddenDir` (the upload temp
 * folder, which the notes put inside public/). The request path is resolved
 * the way serve-static resolves it, so `/./temp`, `//temp` or `%74emp` do
 * not get around the check.
 */
export function publicFiles(
  publicDir: string,
  hiddenDir: string
): RequestHandler[] {
  const guard: RequestHandler = (req, _res, next) => {
    const decoded = decodedPath(req.path);
    if (decoded === undefined) {
      next(new ApiError(400, "Malformed URL"));
      return;
    }
    const target = fileOf(publicDir, decoded);
    const hidden =
      isInside(hiddenDir, target) ||
      isInside(hiddenDir.toLowerCase(), target.toLowerCase());
    if (hidden) {
      next(new ApiError(404, `Route not found: ${req.method} ${req.path}`));
      return;
    }
    next();
  };
  return [
    guard,
    rangeGuard(publicDir),
    express.static(publicDir, {
      dotfiles: "ignore",
      index: false,
      fallthrough: true,
    }),
  ];
}
