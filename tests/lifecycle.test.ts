import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, inject, it, vi } from "vitest";
import { config } from "../src/config.js";
import { freePort } from "../src/db/embedded/net.js";
import { Video } from "../src/models/video.model.js";
import { View } from "../src/models/view.model.js";
import { WatchEntry } from "../src/models/watchEntry.model.js";
import { createUser, createVideo } from "./helpers/factories.js";
import { signInOn } from "./helpers/remote-user.js";
import { runUntilExit, startServer } from "./helpers/server-process.js";
import { slowRequest } from "./helpers/slow-request.js";

/** The commands of the processes below `pid` (the API's database servers). */
function descendants(pid: number): { pid: number; command: string }[] {
  let children: number[];
  try {
    children = execFileSync("pgrep", ["-P", String(pid)])
      .toString()
      .trim()
      .split("\n")
      .map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [
    { pid: child, command: commandOf(child) },
    ...descendants(child),
  ]);
}

const commandOf = (pid: number) => {
  try {
    return execFileSync("ps", ["-o", "args=", "-p", String(pid)])
      .toString()
      .trim();
  } catch {
    return "";
  }
};

/** The embedded database's processes: FerretDB and the PostgreSQL server. */
const databaseProcesses = (pid: number) =>
  descendants(pid).filter(({ command }) =>
    /ferretdb|postgres -D/.test(command)
  );

function expectFerretDbOnPostgres(database: { command: string }[]) {
  const commands = database.map(({ command }) => command);
  expect(
    commands.some((c) => c.includes("ferretdb --handler=postgresql"))
  ).toBe(true);
  expect(commands.some((c) => c.includes("postgres -D"))).toBe(true);
}

const stillRunning = (pids: { pid: number }[]) =>
  pids.filter(({ pid }) => commandOf(pid) !== "");

describe("process lifecycle", () => {
  it("starts on the embedded database with nothing configured, and stops it on SIGTERM", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "videotube-start-"));
    try {
      const server = await startServer({
        MONGODB_URI: "",
        DATA_DIR: dataDir,
        DB_NAME: "",
      });
      const health = await fetch(`${server.url}/api/v1/healthcheck`);
      expect(health.status).toBe(200);
      const database = databaseProcesses(server.child.pid as number);
      expectFerretDbOnPostgres(database);

      server.child.kill("SIGTERM");
      expect(await server.exit).toBe(0);
      expect(stillRunning(database)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("stops the API and its database when `npm start` itself gets SIGTERM", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "videotube-npm-start-"));
    const port = await freePort();
    const npm = spawn("npm", ["start"], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: {
        ...process.env,
        MONGODB_URI: "",
        DB_NAME: "",
        DATA_DIR: dataDir,
        PORT: String(port),
        NODE_ENV: "development",
      },
      stdio: "ignore",
    });
    try {
      await vi.waitFor(
        async () =>
          expect(
            (await fetch(`http://127.0.0.1:${port}/api/v1/healthcheck`)).status
          ).toBe(200),
        { timeout: 30_000, interval: 200 }
      );
      const database = databaseProcesses(npm.pid as number);
      expectFerretDbOnPostgres(database);
      // What a process manager or an IDE's stop button does: signal npm, not its child.
      npm.kill("SIGTERM");
      await vi.waitFor(
        async () => {
          await expect(
            fetch(`http://127.0.0.1:${port}/api/v1/healthcheck`)
          ).rejects.toThrow();
          expect(stillRunning(database)).toEqual([]);
        },
        { timeout: 15_000, interval: 200 }
      );
    } finally {
      npm.kill("SIGKILL");
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("lets an in-flight request finish on SIGTERM, then exits 0", async () => {
    // The database and the folders are this file's (tests/setup/per-file.ts).
    const server = await startServer({});
    // Headers now, body later: the request is in flight when SIGTERM arrives.
    const slow = slowRequest(server.url);
    await slow.received;
    server.child.kill("SIGTERM");
    setTimeout(slow.sendBody, 300);
    const { status, body } = await slow.answer;
    // The route's own answer (a method the healthcheck does not take), not a cut.
    expect(status).toBe(405);
    expect(JSON.parse(body)).toMatchObject({ success: false, statusCode: 405 });
    expect(await server.exit).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
  });

  it("writes the views and history still waiting for their batch before it exits on SIGTERM", async () => {
    const [owner, viewer] = [await createUser(), await createUser()];
    const video = await createVideo(owner);
    const server = await startServer({
      MONGODB_URI: inject("mongoUri"),
      DB_NAME: config.db.name,
      // Far beyond the test: only the shutdown can write the batch.
      WATCH_FLUSH_INTERVAL_MS: "3600000",
    });
    const watched = await fetch(`${server.url}/api/v1/videos/${video.id}`, {
      headers: { Authorization: await signInOn(server.url, viewer) },
    });
    expect(watched.status).toBe(200);
    expect(await View.countDocuments({ video: video._id })).toBe(0);
    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(0);
    expect(await View.countDocuments({ video: video._id })).toBe(1);
    expect(
      await WatchEntry.countDocuments({ user: viewer.id, video: video._id })
    ).toBe(1);
    expect((await Video.findById(video._id))?.views).toBe(1);
  });

  it("retries a database that does not answer, then exits non-zero with a clear message", async () => {
    const port = await freePort();
    const { code, output } = await runUntilExit({
      MONGODB_URI: `mongodb://127.0.0.1:${port}/`,
      DB_CONNECT_TIMEOUT_MS: "1500",
      DB_SERVER_SELECTION_TIMEOUT_MS: "300",
    });
    expect(code).toBe(1);
    expect(output).toContain("database connection failed, retrying");
    expect(output).toMatch(/Could not connect to the database/);
  });

  it("refuses to start in production without token secrets", async () => {
    const { code, output } = await runUntilExit({
      NODE_ENV: "production",
      ACCESS_TOKEN_SECRET: "",
      REFRESH_TOKEN_SECRET: "",
      MONGODB_URI: inject("mongoUri"),
    });
    expect(code).toBe(1);
    expect(output).toContain("ACCESS_TOKEN_SECRET is not set");
  });
});
