import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startMongoJavaServer } from "../helpers/mongo-java-server.js";
import { testEngine, type TestEngine } from "./engines.js";

declare module "vitest" {
  export interface ProvidedContext {
    mongoUri: string;
    /** Set when the tests run on FerretDB over embedded PostgreSQL. */
    postgresUrl: string | undefined;
    /** The engine behind mongoUri (tests/setup/engines.ts). */
    engine: TestEngine;
  }
}

let stopDatabase: (() => Promise<void>) | undefined;
let dataDir: string | undefined;

/**
 * One database server per test run: the one MONGODB_URI names (any real
 * MongoDB), or the one TEST_ENGINE names, started here: the embedded FerretDB
 * on PostgreSQL (the default) or mongo-java-server. Each test file then uses a
 * database of its own on it (tests/setup/per-file.ts).
 */
export async function setup(project: TestProject) {
  const engine = testEngine();
  let uri = process.env.MONGODB_URI;
  let postgresUrl: string | undefined;
  if (!uri && engine === "mongo-java-server") {
    const server = await startMongoJavaServer();
    stopDatabase = () => server.stop();
    uri = server.uri;
  } else if (!uri) {
    dataDir = await mkdtemp(path.join(tmpdir(), "videotube-test-db-"));
    // mkdtemp makes it 0700; PostgreSQL runs as `postgres` when we are root.
    await chmod(dataDir, 0o755);
    const { startEmbeddedDatabase } =
      await import("../../src/db/embedded/index.js");
    const database = await startEmbeddedDatabase(dataDir, { durable: false });
    stopDatabase = () => database.stop();
    uri = database.uri;
    postgresUrl = database.postgresUrl;
  }
  project.provide("mongoUri", uri);
  project.provide("postgresUrl", postgresUrl);
  project.provide("engine", engine);
}

export async function teardown() {
  await stopDatabase?.();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
