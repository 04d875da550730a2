import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startEmbeddedDatabase } from "../src/db/embedded/index.js";

describe("the embedded database's folder", () => {
  it("as root, says which folder shuts the postgres user out; otherwise starts in it", async () => {
    // mkdtemp: mode 0700, so only its owner may pass through.
    const closed = await mkdtemp(path.join(tmpdir(), "videotube-closed-"));
    const dataDir = path.join(closed, "data");
    try {
      if (process.getuid?.() === 0) {
        await expect(startEmbeddedDatabase(dataDir)).rejects.toThrow(
          `cannot pass through ${closed} (mode 700)`
        );
      } else {
        const database = await startEmbeddedDatabase(dataDir);
        await database.stop();
        expect(database.kind).toBe("ferretdb-postgresql");
      }
    } finally {
      await rm(closed, { recursive: true, force: true });
    }
  });
});
