import { readdir } from "node:fs/promises";
import { expect, vi } from "vitest";

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
