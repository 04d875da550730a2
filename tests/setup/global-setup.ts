import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import type { EmbeddedDatabase } from "../../src/db/embedded/index.js";

declare module "vitest" {
  export interface ProvidedContext {
    mongoUri: string;
    /** Set when the tests run on FerretDB over embedded PostgreSQL. */
    postgresUrl: string | undefined;
  }
}

let database: EmbeddedDatabase | undefined;
let dataDir: string | undefined;

/**
 * One database server per test run: the one MONGODB_URI names (any real
 * MongoDB), or the embedded FerretDB on PostgreSQL. Each test file then uses a database of
 * its own on it (tests/setup/per-file.ts).
 */
export async function setup(project: TestProject) {
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dataDir = await mkdtemp(path.join(tmpdir(), "videotube-test-db-"));
    // mkdtemp makes it 0700; PostgreSQL runs as `postgres` when we are root.
    await chmod(dataDir, 0o755);
    const { startEmbeddedDatabase } =
      await import("../../src/db/embedded/index.js");
    database = await startEmbeddedDatabase(dataDir, { durable: false });
    uri = database.uri;
  }
  project.provide("mongoUri", uri);
  project.provide("postgresUrl", database?.postgresUrl);
}

export async function teardown() {
  await database?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
