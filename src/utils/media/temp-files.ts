import { randomBytes } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { logger } from "../logger.js";

/** A random temp file name; the client's file name is never used on disk. */
export const randomTempName = (ext: string) =>
  `${randomBytes(16).toString("hex")}.${ext}`;

/** Removes files, ignoring the ones already gone (moved into storage). */
export async function removeFiles(paths: Iterable<string>): Promise<void> {
  await Promise.all(
    [...paths].map((file) =>
      rm(file, { force: true }).catch((error: unknown) =>
        logger.warn({ err: error, file }, "could not remove a temp file")
      )
    )
  );
}

/**
 * The start-up janitor: removes what a crash or a kill left in the temp
 * folder. Only files older than `olderThanMs` go, so the uploads of another
 * process sharing the folder are left alone.
 */
export async function cleanTempDir(
  dir: string,
  olderThanMs: number,
  now = Date.now()
): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  let removed = 0;
  for (const entry of entries) {
    // .gitkeep keeps public/temp in the repository.
    if (!entry.isFile() || entry.name.startsWith(".")) continue;
    const file = path.join(dir, entry.name);
    const info = await stat(file).catch(() => undefined);
    if (info && now - info.mtimeMs > olderThanMs) {
      await rm(file, { force: true }).catch(() => undefined);
      removed++;
    }
  }
  return removed;
}
