import { spawn } from "node:child_process";
import { once } from "node:events";
import { accessSync, constants } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, waitForPing } from "../src/db/embedded/net.js";

const root = path.resolve(import.meta.dirname, "..");

/** PATH without any folder that holds a `go` program. */
function pathWithoutGo(): string {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => {
      try {
        accessSync(path.join(dir, "go"), constants.X_OK);
        return false;
      } catch {
        return true;
      }
    })
    .join(path.delimiter);
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "videotube-nogo-"));
  await chmod(work, 0o755);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("building FerretDB on a machine with Node alone", () => {
  // A cold Go build cache for the fetched Go version: about 1.5 min alone on
  // 2 cores, more beside the rest of the suite. The toolchain stays in
  // .tools/go, so a rerun skips the download.
  it("with no Go on the PATH, builds FerretDB with the official Go toolchain (fetched into .tools/go and checked once) and it serves", async () => {
    const binary = path.join(work, "ferretdb");
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathWithoutGo() };
    delete env.GOROOT;
    const build = spawn(
      process.execPath,
      ["--import", "tsx", "src/db/embedded/build.ts", "--out", binary],
      { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] }
    );
    let output = "";
    build.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    build.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const [code] = await once(build, "exit");
    expect(code, output).toBe(0);
    expect(output).toMatch(/No Go >= [\d.]+ on the PATH/);
    expect(output).toContain(`FerretDB is ready: ${binary}`);

    const port = await freePort();
    const ferretdb = spawn(
      binary,
      [
        "--handler=sqlite",
        `--sqlite-url=file:${work}/`,
        `--listen-addr=127.0.0.1:${port}`,
        "--log-level=error",
      ],
      { stdio: "ignore" }
    );
    try {
      await waitForPing(`mongodb://127.0.0.1:${port}/`, 20_000);
    } finally {
      ferretdb.kill("SIGTERM");
      await once(ferretdb, "exit");
    }
  }, 900_000);
});
