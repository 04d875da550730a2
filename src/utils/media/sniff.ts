import { fileTypeFromBuffer } from "file-type";
import type { MediaKind } from "../storage/types.js";

/** What the magic bytes say a file is. */
export interface SniffedType {
  ext: string;
  mime: string;
}

/** The only types accepted per kind, by file-type's extension. */
const ACCEPTED: Record<MediaKind, ReadonlySet<string>> = {
  image: new Set(["png", "jpg", "webp", "gif"]),
  video: new Set(["mp4", "webm", "mov", "mkv"]),
};

/** file-type needs at most this many bytes for the formats above. */
export const SNIFF_BYTES = 4100;

/**
 * The type of a file from its first bytes, or undefined when it is not one
 * accepted for `kind` (a script named .jpg, a PNG sent as a video, ...).
 */
export async function sniffMedia(
  head: Uint8Array,
  kind: MediaKind
): Promise<SniffedType | undefined> {
  // A truncated header makes some detectors throw instead of answering.
  const detected = await fileTypeFromBuffer(head).catch(() => undefined);
  return detected && ACCEPTED[kind].has(detected.ext)
    ? { ext: detected.ext, mime: detected.mime }
    : undefined;
}

export const acceptedTypes = (kind: MediaKind): string[] => [...ACCEPTED[kind]];
