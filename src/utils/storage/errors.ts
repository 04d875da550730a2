/**
 * A media storage (Cloudinary or the disk) refused or failed an operation.
 * The client sees 502: the request was fine, the service behind it was not.
 */
export class StorageError extends Error {
  override name = "StorageError";
}
