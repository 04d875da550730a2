import { inflateRawSync } from "node:zlib";

/** One file of a zip archive; `read()` inflates it. */
export interface ZipEntry {
  name: string;
  read(): Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * The entries of a zip held in memory, from its central directory (which
 * has the sizes even when the writer streamed them after the data). Only
 * what module zips use: stored or deflated files, no ZIP64 (a toolchain zip
 * is well under 4 GB and 65,535 files), no encryption.
 */
export function readZip(zip: Buffer): ZipEntry[] {
  const end = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff)
    throw new Error("ZIP64 archives are not supported");
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(at) !== CENTRAL_FILE_HEADER)
      throw new Error("corrupt zip: bad central directory entry");
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    entries.push({
      name,
      read: () =>
        inflate(name, method, dataOf(zip, localHeader, compressedSize), size),
    });
  }
  return entries;
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  const lowest = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= lowest; at--)
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  throw new Error("not a zip archive (no end of central directory)");
}

function dataOf(zip: Buffer, localHeader: number, compressedSize: number) {
  if (zip.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER)
    throw new Error("corrupt zip: bad local file header");
  // The local header's name and extra field may differ in length from the
  // central directory's.
  const start =
    localHeader +
    30 +
    zip.readUInt16LE(localHeader + 26) +
    zip.readUInt16LE(localHeader + 28);
  return zip.subarray(start, start + compressedSize);
}

function inflate(name: string, method: number, data: Buffer, size: number) {
  let content: Buffer;
  if (method === STORED) content = data;
  else if (method === DEFLATED) content = inflateRawSync(data);
  else throw new Error(`${name}: unsupported zip compression ${method}`);
  if (content.length !== size)
    throw new Error(`corrupt zip: ${name} has the wrong size`);
  return content;
}
