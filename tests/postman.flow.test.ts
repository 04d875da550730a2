import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import mongoose from "mongoose";
import newman, { type NewmanRunSummary } from "newman";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  startServer,
  stopServer,
  type RunningServer,
} from "./helpers/server-process.js";

const root = path.resolve(import.meta.dirname, "..");
const FLOW_FILE = path.join(
  root,
  "docs/videotube.flow.postman_collection.json"
);

let api: RunningServer | undefined;
let workDir: string;
// A database of its own, empty: the flow must work from nothing.
const dbName = `postman_flow_${randomBytes(6).toString("hex")}`;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "videotube-postman-"));
  api = await startServer({
    MONGODB_URI: inject("mongoUri"),
    DB_POSTGRESQL_URL: inject("postgresUrl") ?? "",
    DB_NAME: dbName,
    UPLOAD_DIR: path.join(workDir, "uploads"),
    UPLOAD_TEMP_DIR: path.join(workDir, "temp"),
  });
});

afterAll(async () => {
  await stopServer(api);
  await mongoose.connection
    .useDb(dbName)
    .dropDatabase()
    .catch(() => undefined);
  await rm(workDir, { recursive: true, force: true });
});

function runFlow(baseUrl: string) {
  return new Promise<NewmanRunSummary>((resolve, reject) =>
    newman.run(
      {
        collection: FLOW_FILE,
        // The environment outranks the collection's own baseUrl.
        envVar: [{ key: "baseUrl", value: baseUrl }],
        // The form-data files are named from the repository's root, as
        // `npx newman run docs/videotube.flow.postman_collection.json` there reads them.
        workingDir: root,
        timeoutRequest: 30_000,
      },
      (error, summary) => (error ? reject(error) : resolve(summary))
    )
  );
}

describe("the Postman flow collection, run by newman against the API in a process of its own", () => {
  it("runs every request in order from an empty database, with no failed assertion and no request error", async () => {
    const { item: items } = JSON.parse(await readFile(FLOW_FILE, "utf8")) as {
      item: { name: string }[];
    };
    const { run } = await runFlow(api!.url);

    const failures = run.failures.map(
      (failure) =>
        `${failure.source?.name ?? "collection"}: ${failure.error.message}`
    );
    expect(failures).toEqual([]);
    expect(run.executions.map((execution) => execution.item.name)).toEqual(
      items.map((item) => item.name)
    );
    for (const execution of run.executions) {
      // A request that got no answer (refused, timed out) has no response.
      expect(execution.response, execution.item.name).toBeDefined();
      // Each request checks the envelope (collection script) and its own answer.
      expect(
        execution.assertions?.length ?? 0,
        execution.item.name
      ).toBeGreaterThanOrEqual(2);
    }
    expect(run.stats.assertions.failed).toBe(0);
    expect(run.stats.requests.failed).toBe(0);
    expect(run.stats.testScripts.failed).toBe(0);
    expect(run.stats.prerequestScripts.failed).toBe(0);
  }, 120_000);
});
