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
    let decoded: string;
    try {
      decoded = decodeURIComponent(req.path);
    } catch {
      next(new ApiError(400, "Malformed URL"));
      return;
    }
    const target = path.resolve(
      publicDir,
      `.${path.posix.normalize(`/${decoded}`)}`
    );
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
    express.static(publicDir, {
      dotfiles: "ignore",
      index: false,
      fallthrough: true,
    }),
  ];
}
