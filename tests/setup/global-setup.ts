import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import {
  startEmbeddedDatabase,
  type EmbeddedDatabase,
} from "../../src/db/embedded.js";

declare module "vitest" {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

let database: EmbeddedDatabase | undefined;
let sqliteDir: string | undefined;

/**
 * One database server per test run: the one MONGODB_URI names (any real
 * MongoDB), or the embedded FerretDB. Each test file then uses a database of
 * its own on it (tests/setup/per-file.ts).
 */
export async function setup(project: TestProject) {
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    sqliteDir = await mkdtemp(path.join(tmpdir(), "videotube-test-db-"));
    database = await startEmbeddedDatabase(sqliteDir);
    uri = database.uri;
  }
  project.provide("mongoUri", uri);
}

export async function teardown() {
  await database?.stop();
  if (sqliteDir) await rm(sqliteDir, { recursive: true, force: true });
}
