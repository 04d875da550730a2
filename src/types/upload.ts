import type { MediaKind } from "../utils/storage/types.js";

/** A file that arrived, passed the checks and waits in the temp folder. */
export type UploadedFile = {
  path: string;
  size: number;
  kind: MediaKind;
  mime: string;
  ext: string;
  /** Measured from the file, for videos only. */
  durationSeconds?: number;
};
