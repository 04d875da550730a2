import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { access, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLocalStorage } from "../src/utils/storage/local.storage.js";

const work = mkdtempSync(path.join(tmpdir(), "videotube-local-storage-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("local storage URLs", () => {
  it("puts the public URL in front of /uploads when one is configured", async () => {
    const store = path.join(work, "store");
    const storage = createLocalStorage(
      store,
      "https://api.example.com/uploads"
    );
    const upload = path.join(work, "upload.png");
    writeFileSync(upload, "bytes");
    const stored = await storage.put(upload, "image");
    expect(stored.url).toBe(
      `https://api.example.com/uploads/${stored.publicId}`
    );
    expect(stored.publicId).toMatch(/^image\/[0-9a-f]+\.png$/);

    // The file is on disk under its public id, then delete removes it.
    const file = path.join(store, stored.publicId);
    expect((await stat(file)).size).toBe(5);
    await storage.delete(stored.publicId, "image");
    await expect(access(file)).rejects.toMatchObject({ code: "ENOENT" });
  });
});
