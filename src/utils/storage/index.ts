import { config } from "../../config.js";
import { createCloudinaryStorage } from "./cloudinary.storage.js";
import { createLocalStorage } from "./local.storage.js";
import type { MediaStorage } from "./types.js";

/** The media storage: Cloudinary when the config names an account, else the disk. */
export const storage: MediaStorage = config.cloudinary
  ? createCloudinaryStorage(config.cloudinary)
  : createLocalStorage(
      config.uploads.storageDir,
      `${config.uploads.publicUrl}/uploads`
    );

export type { MediaKind, MediaStorage, StoredFile } from "./types.js";
