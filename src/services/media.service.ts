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
 * `persisted` says whether the write is in the database after all: when the
 * database was cut mid-write, the new files stay until it answers.
 */
export async function persistWithUploads<T>(
  files: Record<string, UploadedFile | undefined>,
  persist: (stored: Record<string, StoredFile>) => Promise<T>,
  replaced: () => (StoredMedia | StoredFile | undefined)[] = () => [],
  persisted?: (stored: Record<string, StoredFile>) => Promise<boolean>
): Promise<T> {
  const stored = await storeUploads(files);
  let result: T;
  try {
    result = await persist(stored);
  } catch (error) {
    if (persisted && isDatabaseUnavailable(error))
      settleOnceAnswered(Object.values(stored), replaced, () =>
        persisted(stored)
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
 * pointing at missing files (tests/faults/database-down.test.ts saw it).
 * So once the database answers whether the write is there, the new files
 * go if it is not, and the files it replaced go if it is; asked again every
 * second while the database is away. A restart meanwhile leaves orphans,
 * which is the safe side.
 */
function settleOnceAnswered(
  stored: StoredFile[],
  replaced: () => (StoredMedia | StoredFile | undefined)[],
  persisted: () => Promise<boolean>
): void {
  const check = () =>
    outsideRequests(() =>
      persisted().then(
        async (found) => {
          await (found
            ? discardStored(...replaced())
            : discardStored(...stored));
        },
        () => setTimeout(check, RECORD_CHECK_RETRY_MS).unref()
      )
    );
  setTimeout(check, RECORD_CHECK_RETRY_MS).unref();
}
