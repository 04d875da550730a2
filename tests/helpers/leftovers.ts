import { readdir } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Connection } from "mongoose";

const MEDIA_KINDS = ["image", "video"];
// Temp files go when their response closes; a test may end just before.
const SETTLE_MS = 5_000;

const filesIn = async (dir: string) =>
  (await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(dir, path.join(entry.parentPath, entry.name))
    );

/** Every string anywhere in `value`, at any depth. */
function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === "string") yield value;
  else if (Array.isArray(value))
    for (const item of value) yield* stringsIn(item);
  else if (value && typeof value === "object" && !(value instanceof Date))
    for (const item of Object.values(value)) yield* stringsIn(item);
}

/** The stored media (`image/x.png`) that some document of the database names. */
async function referencedMedia(connection: Connection): Promise<Set<string>> {
  const named = new Set<string>();
  const db = connection.db;
  if (!db) return named;
  const pattern = new RegExp(`(?:^|/)((?:${MEDIA_KINDS.join("|")})/[^/]+)$`);
  for (const { name } of await db.listCollections().toArray()) {
    for await (const document of db.collection(name).find())
      for (const text of stringsIn(document)) {
        const match = pattern.exec(text);
        if (match?.[1]) named.add(match[1]);
      }
  }
  return named;
}

/**
 * What a test file left behind that nothing will ever clean: files in its
 * temp folder, and stored media that no record names (a failed request that
 * kept its file, a replaced avatar never deleted). Only the folders made for
 * this file are looked at (tests/setup/per-file.ts); seed/ is not media.
 */
export async function leftovers(
  workDir: string,
  connection: Connection
): Promise<string[]> {
  const { config } = await import("../../src/config.js");
  const { tempDir, storageDir } = config.uploads;
  const ours = (dir: string) => !path.relative(workDir, dir).startsWith("..");
  const problems: string[] = [];
  if (ours(tempDir)) {
    let temp = await filesIn(tempDir);
    for (let waited = 0; temp.length > 0 && waited < SETTLE_MS; waited += 100) {
      await sleep(100);
      temp = await filesIn(tempDir);
    }
    problems.push(...temp.map((file) => `temp file left: ${file}`));
  }
  if (ours(storageDir) && connection.readyState === 1) {
    const named = await referencedMedia(connection);
    for (const kind of MEDIA_KINDS)
      for (const file of await filesIn(path.join(storageDir, kind)))
        if (!named.has(`${kind}/${file}`))
          problems.push(`stored file that no record names: ${kind}/${file}`);
  }
  return problems;
}
