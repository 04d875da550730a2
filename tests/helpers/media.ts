import { config } from "../../src/config.js";
import path from "node:path";
import { readdir } from "node:fs/promises";
import type { Test } from "supertest";
import { expect, vi } from "vitest";
import { mp4Bytes, pngBytes } from "./media-bytes.js";

export { jpegBytes, mp4Bytes, mp4Header, pngBytes } from "./media-bytes.js";

/** Waits until `dir` holds no file (temp files go when the response closes). */
export async function expectEmptyDir(dir: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const entries = await readdir(dir).catch(() => []);
      expect(entries).toEqual([]);
    },
    { timeout: 3_000, interval: 25 }
  );
}

/** Every file in the local store, as paths relative to the storage folder. */
export async function storedFiles(): Promise<string[]> {
  const { storageDir } = config.uploads;
  const files: string[] = [];
  for (const kind of ["image", "video"]) {
    const names = await readdir(path.join(storageDir, kind)).catch(() => []);
    files.push(...names.map((name) => `${kind}/${name}`));
  }
  return files.sort();
}

/** Attaches a publish form's files (an MP4 and a PNG unless told otherwise). */
export function attachVideoFiles(
  request: Test,
  files: { video?: Buffer; thumbnail?: Buffer } = {
    video: mp4Bytes(3),
    thumbnail: pngBytes(),
  }
): Test {
  let attached = request;
  if (files.video)
    attached = attached.attach("videoFile", files.video, {
      filename: "holiday.mp4",
      contentType: "video/mp4",
    });
  if (files.thumbnail)
    attached = attached.attach("thumbnail", files.thumbnail, {
      filename: "thumb.png",
      contentType: "image/png",
    });
  return attached;
}
