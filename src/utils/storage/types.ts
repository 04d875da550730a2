/** What kind of media a file is; decides limits, sniffed types and storage folders. */
export type MediaKind = "image" | "video";

/** A file once it is in storage. `publicId` is what deletes it later. */
export interface StoredFile {
  url: string;
  publicId: string;
  bytes: number;
  durationSeconds?: number;
}

/**
 * Media storage: Cloudinary or the local disk, chosen by the config.
 * `put` moves a temp file into storage (the caller's temp file is removed by
 * the upload middleware either way); `delete` removes a stored file and does
 * not fail for one that is already gone.
 */
export interface MediaStorage {
  readonly name: "cloudinary" | "local";
  put(localPath: string, kind: MediaKind): Promise<StoredFile>;
  delete(publicId: string, kind: MediaKind): Promise<void>;
}
