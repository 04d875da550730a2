import { copyFile, mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { randomTempName } from "../media/temp-files.js";
import { StorageError } from "./errors.js";
import type { MediaKind, MediaStorage, StoredFile } from "./types.js";

// What this storage itself hands out: nothing else may reach rm().
const PUBLIC_ID = /^(image|video)\/[a-f0-9]{32}\.[a-z0-9]{2,5}$/;

/**
 * The disk: files go to <dir>/<kind>/<random>.<ext> and are served at
 * `<urlPrefix>/<kind>/<random>.<ext>` by the app's /uploads mount.
 */
export function createLocalStorage(
  dir: string,
  urlPrefix = "/uploads"
): MediaStorage {
  return {
    name: "local",

    async put(localPath: string, kind: MediaKind): Promise<StoredFile> {
      const ext = path.extname(localPath).slice(1).toLowerCase() || "bin";
      const publicId = `${kind}/${randomTempName(ext)}`;
      const target = path.join(dir, publicId);
      try {
        await mkdir(path.dirname(target), { recursive: true });
        await rename(localPath, target).catch(async (error: unknown) => {
          // Another file system: copy; the upload middleware removes the temp file.
          if ((error as { code?: string }).code !== "EXDEV") throw error;
          await copyFile(localPath, target);
        });
        const { size } = await stat(target);
        return { url: `${urlPrefix}/${publicId}`, publicId, bytes: size };
      } catch (error) {
        await rm(target, { force: true }).catch(() => undefined);
        throw new StorageError(`local storage could not store ${kind}`, {
          cause: error,
        });
      }
    },

    async delete(publicId: string): Promise<void> {
      if (!PUBLIC_ID.test(publicId)) {
        throw new StorageError(`not a local storage id: ${publicId}`);
      }
      await rm(path.join(dir, publicId), { force: true });
    },
  };
}
