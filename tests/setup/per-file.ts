import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import {
  declaredIndexes,
  describeShape,
  isServed,
  shapeOf,
  type QueryShape,
} from "../helpers/indexCoverage.js";
import type { DbCommand } from "../../src/db/commandLog.js";
import { checkEveryAnswer } from "../helpers/answer-check.js";
import { leftovers } from "../helpers/leftovers.js";

// Runs before each test file imports the app: every file gets its own
// database and its own upload folders, so files can run in parallel.
const workDir = mkdtempSync(path.join(tmpdir(), "videotube-test-"));
process.env.NODE_ENV = "test";
process.env.MONGODB_URI = inject("mongoUri");
process.env.DB_NAME = `test_${randomBytes(6).toString("hex")}`;
process.env.UPLOAD_TEMP_DIR = path.join(workDir, "temp");
process.env.UPLOAD_DIR = path.join(workDir, "uploads");
process.env.CORS_ORIGIN = "http://localhost:5173";
// Tests write the database directly, as another instance would, and expect
// the next list to show it: the list cache's TTL bound is tested on its own
// (videos.listCache.test.ts, which sets its own TTL).
process.env.LIST_CACHE_TTL_MS = "1";
// One user or one address sends a whole file's requests in seconds; the class
// limits are tested on their own (users.ratelimit.test.ts sets its own).
for (const name of ["AUTH", "UPLOADS", "WRITES", "READS"])
  process.env[`RATE_LIMIT_${name}`] = "1000000";
delete process.env.CLOUDINARY_CLOUD_NAME;
delete process.env.CLOUDINARY_API_KEY;
delete process.env.CLOUDINARY_API_SECRET;
checkEveryAnswer();

// Every read the app sends in this file (in its requests and its background
// writes), by shape, for the index check after the file
// (tests/helpers/indexCoverage.ts). The tests' own queries are not the app's.
const shapesSent = new Map<string, QueryShape>();
const record = (command: DbCommand) => {
  const shape = shapeOf(command);
  if (shape) shapesSent.set(describeShape(shape), shape);
};
const stopRecording: (() => void)[] = [];

beforeAll(async () => {
  const { onBackgroundCommands, onRequestCommands } =
    await import("../../src/db/commandLog.js");
  stopRecording.push(
    onRequestCommands(({ commands }) => commands.forEach(record)),
    onBackgroundCommands(record)
  );
  const { connectDB, prepareIndexes } = await import("../../src/db/index.js");
  await connectDB(inject("mongoUri"), process.env.DB_NAME, 10_000);
  // The test file has imported the app, so every model is known here.
  await prepareIndexes(inject("postgresUrl"));
});

afterAll(async () => {
  for (const stop of stopRecording) stop();
  const indexes = declaredIndexes();
  const { default: mongoose } = await import("mongoose");
  const left = await leftovers(workDir, mongoose.connection);
  if (mongoose.connection.readyState === 1) {
    await mongoose.connection.dropDatabase().catch(() => undefined);
  }
  await mongoose.disconnect();
  rmSync(workDir, { recursive: true, force: true });
  const unserved = [...shapesSent]
    .filter(
      ([, shape]) => !isServed(shape, indexes.get(shape.collection) ?? [])
    )
    .map(([described]) => described);
  if (left.length > 0)
    throw new Error(`Left behind by this file:\n${left.join("\n")}`);
  if (unserved.length > 0)
    throw new Error(
      `Queries that no declared index serves (equality-sort-range, see tests/helpers/indexCoverage.ts):\n${unserved.join("\n")}`
    );
});
