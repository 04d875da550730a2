import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";

/** Fails, with vitest's diff, when a committed generated file is not what its generator makes now. */
export async function expectUpToDate(
  file: string,
  fresh: string,
  command: string
) {
  const committed = await readFile(file, "utf8");
  const name = path.relative(path.resolve(import.meta.dirname, "../.."), file);
  expect(committed, `${name} is stale: run ${command}`).toBe(fresh);
}
