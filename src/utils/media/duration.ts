import { open, type FileHandle } from "node:fs/promises";
import { parseFile } from "music-metadata";

const BOX_HEADER = 8;

async function readAt(
  file: FileHandle,
  position: number,
  length: number
): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Finds a box of `type` among the boxes in [start, end); returns its payload range. */
async function findBox(
  file: FileHandle,
  type: string,
  start: number,
  end: number
): Promise<{ start: number; end: number } | undefined> {
  let position = start;
  // A bound on boxes visited keeps a crafted file from looping for long.
  for (
    let visited = 0;
    position + BOX_HEADER <= end && visited < 4096;
    visited++
  ) {
    const header = await readAt(file, position, 16);
    if (header.length < BOX_HEADER) return undefined;
    let size = header.readUInt32BE(0);
    let headerSize = BOX_HEADER;
    if (size === 1) {
      if (header.length < 16) return undefined;
      size = Number(header.readBigUInt64BE(8));
      headerSize = 16;
    } else if (size === 0) {
      size = end - position;
    }
    if (size < headerSize) return undefined;
    if (header.toString("latin1", 4, 8) === type) {
      return {
        start: position + headerSize,
        end: Math.min(position + size, end),
      };
    }
    position += size;
  }
  return undefined;
}

/**
 * The duration in an MP4/QuickTime movie header (moov/mvhd), read by seeking
 * from box to box. music-metadata reports an MP4's duration only from an
 * audio track, so a silent video would otherwise have none.
 */
async function mp4Duration(path: string): Promise<number | undefined> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const moov = await findBox(file, "moov", 0, size);
    if (!moov) return undefined;
    const mvhd = await findBox(file, "mvhd", moov.start, moov.end);
    if (!mvhd) return undefined;
    const body = await readAt(file, mvhd.start, 32);
    if (body.length < 20) return undefined;
    const version = body[0];
    if (version === 1 && body.length >= 32) {
      const timescale = body.readUInt32BE(20);
      const duration = Number(body.readBigUInt64BE(24));
      return timescale > 0 ? duration / timescale : undefined;
    }
    const timescale = body.readUInt32BE(12);
    const duration = body.readUInt32BE(16);
    return timescale > 0 ? duration / timescale : undefined;
  } finally {
    await file.close();
  }
}

const usable = (seconds: number | undefined): number | undefined =>
  seconds !== undefined && Number.isFinite(seconds) && seconds > 0
    ? Math.round(seconds * 1000) / 1000
    : undefined;

/**
 * A video's duration in seconds, measured from the file (the client's word is
 * never taken), or undefined when it cannot be read.
 */
export async function measureDuration(
  path: string,
  ext: string
): Promise<number | undefined> {
  if (ext === "mp4" || ext === "mov") {
    const fromHeader = usable(await mp4Duration(path).catch(() => undefined));
    if (fromHeader !== undefined) return fromHeader;
  }
  const metadata = await parseFile(path, {
    duration: true,
    skipCovers: true,
  }).catch(() => undefined);
  return usable(metadata?.format.duration);
}
