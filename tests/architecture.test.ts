import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../src");

/** Every .ts file below `dir`, relative to src/. */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(SRC, dir), {
    recursive: true,
    withFileTypes: true,
  })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) =>
      path.relative(SRC, path.join(entry.parentPath, entry.name))
    );
}

/** The src/ folders a file imports from (relative imports only). */
function importedFolders(file: string): string[] {
  const text = readFileSync(path.join(SRC, file), "utf8");
  const specifiers = [...text.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)].map(
    (match) => match[1] as string
  );
  return specifiers.map((specifier) => {
    const target = path.relative(
      SRC,
      path.resolve(path.dirname(path.join(SRC, file)), specifier)
    );
    return target.split(path.sep)[0] as string;
  });
}

// Each floor may import only from the floors below it.
const FORBIDDEN: Record<string, string[]> = {
  services: ["middlewares", "controllers", "routes", "jobs"],
  presenters: ["middlewares", "controllers", "routes", "services"],
  models: ["middlewares", "controllers", "routes", "services", "presenters"],
  utils: ["middlewares", "controllers", "routes", "services", "presenters"],
  types: ["middlewares", "controllers", "routes", "services", "presenters"],
  middlewares: ["controllers", "routes", "jobs"],
  controllers: ["routes", "jobs"],
  jobs: ["middlewares", "controllers", "routes"],
  db: ["middlewares", "controllers", "routes", "services", "presenters"],
};

describe("the floors of src/", () => {
  it.each(Object.entries(FORBIDDEN))(
    "nothing in src/%s imports from a floor above it",
    (floor, above) => {
      const files = sourceFiles(floor);
      expect(files.length).toBeGreaterThan(0);
      const wrong = files.flatMap((file) =>
        importedFolders(file)
          .filter((folder) => above.includes(folder))
          .map((folder) => `${file} imports from ${folder}/`)
      );
      expect(wrong).toEqual([]);
    }
  );

  it("states the video-visibility rule in one module only", () => {
    const rule = /deletingAt|isPublished:\s*true|isPublished\s*\|\|/;
    const holders = sourceFiles(".")
      .filter((file) => !file.startsWith("schemas"))
      .filter((file) => rule.test(readFileSync(path.join(SRC, file), "utf8")));
    expect(holders.sort()).toEqual([
      path.join("models", "video.model.ts"),
      path.join("services", "videoVisibility.service.ts"),
    ]);
  });

  it("names the embedded engine only in src/db/, where its differences are handled", () => {
    const naming = sourceFiles(".")
      .filter((file) => !file.startsWith(`db${path.sep}`))
      .filter((file) =>
        /ferret/i.test(readFileSync(path.join(SRC, file), "utf8"))
      );
    expect(naming).toEqual([]);
  });
});

/**
 * The src/ files a file loads when it is loaded (relative `import … from` and
 * `export … from`, and bare `import "…"`), not `import type` (erased) nor
 * `await import()` (loaded when that line runs).
 */
function staticImports(file: string): string[] {
  const text = readFileSync(path.join(SRC, file), "utf8");
  const statement =
    /^\s*(?:import|export)\s+(?!type\s)(?:[^;]*?\sfrom\s+)?"(\.{1,2}\/[^"]+)"/gm;
  return [...text.matchAll(statement)].map((match) =>
    path.relative(
      SRC,
      path.resolve(path.dirname(path.join(SRC, file)), match[1] as string)
    )
  );
}

describe("the embedded database (src/db/embedded/)", () => {
  const EMBEDDED = path.join("db", "embedded");

  it("is loaded by nothing outside it at import time: only with await import(), when MONGODB_URI is not set", () => {
    const wrong = sourceFiles(".")
      .filter((file) => !file.startsWith(EMBEDDED + path.sep))
      .flatMap((file) =>
        staticImports(file)
          .filter((target) => target.startsWith(EMBEDDED))
          .map((target) => `${file} imports ${target}`)
      );
    expect(wrong).toEqual([]);
  });

  it("is started by src/index.ts through its index module", () => {
    const entry = readFileSync(path.join(SRC, "index.ts"), "utf8");
    expect(entry).toContain('await import("./db/embedded/index.js")');
  });
});
