import type { UploadedFile } from "../types/upload.js";
import type { StoredMedia } from "../models/media.schema.js";
import { outsideRequests } from "../db/commandLog.js";
import { logger } from "../utils/logger.js";
import { isDatabaseUnavailable } from "../utils/mongoErrors.js";
import { storage } from "../utils/storage/index.js";
import { kindOfPublicId } from "../utils/storage/public-id.js";
import type { MediaKind, StoredFile } from "../utils/storage/types.js";

/** The subdocument a model keeps: the URL and the id that deletes it. */
export function toStoredMedia(file: StoredFile): StoredMedia {
  return { url: file.url, publicId: file.publicId };
}

/**
 * Files under `seed/` are the demo seed's media library, shared by many
 * seeded records: deleting one record must not take a file the others still
 * show. Only `npm run seed -- --reset` removes them.
 */
export const SHARED_MEDIA_PREFIX = "seed/";

/**
 * Deletes stored files (never shared seed media), best effort: a failure is logged (the file is an
 * orphan to clean by hand), never thrown, because callers run this on paths
 * that already have an answer or an error of their own.
 */
export async function discardStored(
  ...stored: (StoredFile | StoredMedia | undefined)[]
): Promise<void> {
  await Promise.all(
    stored.map(async (file) => {
      if (!file || file.publicId.startsWith(SHARED_MEDIA_PREFIX)) return;
      const kind: MediaKind | undefined = kindOfPublicId(file.publicId);
      try {
        if (!kind) throw new Error("no media kind in the public id");
        await storage.delete(file.publicId, kind);
      } catch (error) {
        logger.error(
          { err: error, publicId: file.publicId },
          "could not delete a stored file"
        );
      }
    })
  );
}

/**
 * Stores the uploaded files (one after another: a failure stops the rest).
 * If one fails, the ones already stored are deleted and the error is
 * rethrown, so a failed request leaves nothing in storage. The duration
 * measured from the upload wins over whatever the storage reports.
 */
export async function storeUploads(
  files: Record<string, UploadedFile | undefined>
): Promise<Record<string, StoredFile>> {
  const stored: Record<string, StoredFile> = {};
  try {
    for (const [field, file] of Object.entries(files)) {
      if (!file) continue;
      const result = await storage.put(file.path, file.kind);
      stored[field] =
        file.durationSeconds === undefined
          ? result
          : { ...result, durationSeconds: file.durationSeconds };
    }
  } catch (error) {
    await discardStored(...Object.values(stored));
    throw error;
  }
  return stored;
}

/**
 * The whole consistency rule in one call: store the uploads, run `persist`
 * (the database write) with them, delete them again if it fails, and only
 * after it succeeds delete the files it replaced (old avatar, thumbnail...).
 * `stillNamed` says whether the record names a file: when the database was
 * cut mid-write, the new and the replaced files stay until it answers.
 */
export async function persistWithUploads<T>(
  files: Record<string, UploadedFile | undefined>,
  persist: (stored: Record<string, StoredFile>) => Promise<T>,
  replaced: () => (StoredMedia | StoredFile | undefined)[] = () => [],
  stillNamed?: (file: StoredMedia | StoredFile) => Promise<boolean>
): Promise<T> {
  const stored = await storeUploads(files);
  let result: T;
  try {
    result = await persist(stored);
  } catch (error) {
    if (stillNamed && isDatabaseUnavailable(error))
      settleOnceAnswered(
        () => [...Object.values(stored), ...replaced()],
        stillNamed
      );
    else await discardStored(...Object.values(stored));
    throw error;
  }
  await discardStored(...replaced());
  return result;
}

const RECORD_CHECK_RETRY_MS = 1_000;

/**
 * A write whose connection was cut may be stored all the same (the answer is
 * lost, not the write): deleting its files at once could leave a record
 * pointing at missing files. So once the database answers, each file the
 * write brought or replaced goes if the record no longer names it (the new
 * ones if the write is not there; the replaced one if it is, even when a
 * later write has replaced that write's file since); asked again every
 * second while the database is away. Files are never named again once
 * replaced, so a file no record names is safe to delete. A restart meanwhile
 * leaves orphans, which is the safe side.
 */
function settleOnceAnswered(
  files: () => (StoredMedia | StoredFile | undefined)[],
  stillNamed: (file: StoredMedia | StoredFile) => Promise<boolean>
): void {
  const check = () =>
    outsideRequests(async () => {
      const settled = files().filter((file) => file !== undefined);
      return Promise.all(settled.map(stillNamed)).then(
        async (named) => {
          await discardStored(...settled.filter((_file, i) => !named[i]));
        },
        () => setTimeout(check, RECORD_CHECK_RETRY_MS).unref()
      );
    });
  setTimeout(check, RECORD_CHECK_RETRY_MS).unref();
}
