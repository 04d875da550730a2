// Media files made from bytes, for tests and benchmarks (no vitest here).
import { deflateSync } from "node:zlib";

/** A box (MP4 atom): 32-bit size, 4-letter type, payload. */
function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(body.length + 8, 0);
  header.write(type, 4, "latin1");
  return Buffer.concat([header, body]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A valid 1x1 RGBA PNG. */
export function pngBytes(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(Buffer.from([0, 255, 0, 0, 255]))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The smallest baseline JPEG file-type recognises (SOI, APP0/JFIF, EOI). */
export function jpegBytes(): Buffer {
  return Buffer.from("ffd8ffe000104a46494600010100000100010000ffd9", "hex");
}

/**
 * A tiny MP4: ftyp, then moov/mvhd carrying timescale and duration (which
 * music-metadata reads), then an optional mdat of `paddingBytes` zeros.
 */
export function mp4Bytes(seconds: number, paddingBytes = 0): Buffer {
  return Buffer.concat([
    mp4Header(seconds, paddingBytes),
    Buffer.alloc(paddingBytes),
  ]);
}

/** Everything of `mp4Bytes` before the mdat payload, for streaming big files. */
export function mp4Header(seconds: number, paddingBytes = 0): Buffer {
  const timescale = 1000;
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(0, 0); // version 0, no flags
  mvhd.writeUInt32BE(timescale, 12);
  mvhd.writeUInt32BE(Math.round(seconds * timescale), 16);
  mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
  mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
  // identity matrix
  mvhd.writeUInt32BE(0x00010000, 36);
  mvhd.writeUInt32BE(0x00010000, 52);
  mvhd.writeUInt32BE(0x40000000, 68);
  mvhd.writeUInt32BE(2, 96); // next track id
  const ftyp = box(
    "ftyp",
    Buffer.from("isom", "latin1"),
    Buffer.from([0, 0, 2, 0]),
    Buffer.from("isomiso2mp41", "latin1")
  );
  const moov = box("moov", box("mvhd", mvhd));
  const mdatHeader = Buffer.alloc(8);
  mdatHeader.writeUInt32BE(paddingBytes + 8, 0);
  mdatHeader.write("mdat", 4, "latin1");
  return Buffer.concat([ftyp, moov, mdatHeader]);
}
