import type { MediaKind } from "./types.js";

/**
 * Both storages put the kind in the public id as a path segment
 * (`image/<name>.png` on disk, `videotube/video/<name>` on Cloudinary), so a
 * `StoredMedia` kept by a model is enough to delete the file later.
 */
export function kindOfPublicId(publicId: string): MediaKind | undefined {
  const segments = publicId.split("/");
  if (segments.includes("video")) return "video";
  if (segments.includes("image")) return "image";
  return undefined;
}
