import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLocalStorage } from "../src/utils/storage/local.storage.js";

const work = mkdtempSync(path.join(tmpdir(), "videotube-local-storage-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("local storage URLs", () => {
  it("puts the public URL in front of /uploads when one is configured", async () => {
    const storage = createLocalStorage(
      path.join(work, "store"),
      "https://api.example.com/uploads"
    );
    const upload = path.join(work, "upload.png");
    writeFileSync(upload, "bytes");
    const stored = await storage.put(upload, "image");
    expect(stored.url).toBe(
      `https://api.example.com/uploads/${stored.publicId}`
    );
    expect(stored.publicId).toMatch(/^image\/[0-9a-f]+\.png$/);
    await storage.delete(stored.publicId, "image");
  });
});
