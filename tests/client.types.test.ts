import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  generateClientTypes,
  SCHEMA_FILE,
} from "../scripts/client-types.lib.js";
import { expectUpToDate } from "./helpers/generated-file.js";

describe("client/schema.d.ts", () => {
  it("is what npm run client:generate makes from the current OpenAPI document", async () => {
    await expectUpToDate(
      SCHEMA_FILE,
      await generateClientTypes(),
      "npm run client:generate"
    );
  });

  it("types file fields as Blobs, so a FormData upload type-checks", async () => {
    const committed = await readFile(SCHEMA_FILE, "utf8");
    expect(committed).toMatch(/avatar: Blob;/);
    expect(committed).not.toMatch(
      /Format: binary\s*\n[^\n]*\n\s*\*\/\s*\n\s*\w+\??: string;/
    );
  });
});
