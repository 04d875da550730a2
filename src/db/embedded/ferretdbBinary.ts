import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../../config.js";
import {
  ensureGoToolchain,
  ToolchainChecksumMismatch,
} from "./go/fetchToolchain.js";
import { hasGoAtLeast, isAtLeast, parseGoVersion } from "./go/findGo.js";
import { TOOLCHAIN_GO_VERSION } from "./go/toolchain.js";

export const FERRETDB_VERSION = "v1.24.2";

const sourceDir = path.join(projectRoot, "tools", "ferretdb");
const toolsDir = path.join(projectRoot, ".tools");
export const ferretDbBinary = path.join(toolsDir, "bin", "ferretdb");
const stampOf = (binary: string) => `${binary}.stamp`;
/** A path as the developer reads it: relative inside the project. */
const shown = (file: string) =>
  file.startsWith(projectRoot + path.sep)
    ? path.relative(projectRoot, file)
    : file;

/** A hash of what the binary is built from: a changed go.sum means a rebuild. */
function sourceStamp(): string {
  const hash = createHash("sha256");
  for (const file of ["go.mod", "go.sum", "main.go"]) {
    hash.update(readFileSync(path.join(sourceDir, file)));
  }
  return hash.digest("hex");
}

export function isFerretDbBuilt(binary = ferretDbBinary): boolean {
  return (
    existsSync(binary) &&
    existsSync(stampOf(binary)) &&
    readFileSync(stampOf(binary), "utf8") === sourceStamp()
  );
}

export class EmbeddedDatabaseUnavailable extends Error {
  override name = "EmbeddedDatabaseUnavailable";
}

/** The oldest Go that builds FerretDB: the `go` line of its go.mod. */
function minimumGo(): number[] {
  const goMod = readFileSync(path.join(sourceDir, "go.mod"), "utf8");
  const version = parseGoVersion(/^go\s+(\S+)/m.exec(goMod)?.[1] ?? "");
  if (version === undefined)
    throw new Error("tools/ferretdb/go.mod has no go line");
  return version;
}

interface GoCommand {
  command: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The installed `go` when it is recent enough, else the official toolchain
 * fetched into .tools/go (go/fetchToolchain.ts), so Node alone suffices.
 */
async function goForBuild(report: (line: string) => void): Promise<GoCommand> {
  const minimum = minimumGo();
  // The environment the go command gets: its GOPROXY is the fetch's too.
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  if (hasGoAtLeast(minimum, inherited))
    return { command: "go", env: inherited };
  if (!isAtLeast(parseGoVersion(TOOLCHAIN_GO_VERSION) ?? [], minimum))
    throw new Error(
      `tools/ferretdb/go.mod asks for Go ${minimum.join(".")}, newer than the Go ${TOOLCHAIN_GO_VERSION} the build fetches (src/db/embedded/go/toolchain.ts).`
    );
  report(
    `No Go >= ${minimum.join(".")} on the PATH: using the official Go toolchain in .tools/go.`
  );
  let goroot: string;
  try {
    goroot = await ensureGoToolchain(toolsDir, inherited, report);
  } catch (error) {
    if (error instanceof ToolchainChecksumMismatch) throw error;
    throw new EmbeddedDatabaseUnavailable(
      `FerretDB (the embedded database) is not built, no Go >= ${minimum.join(".")} is installed, and fetching Go failed: ${(error as Error).message}. Install Go and run \`npm run db:build\`, or set MONGODB_URI.`,
      { cause: error }
    );
  }
  const bin = path.join(goroot, "bin");
  return {
    command: path.join(bin, "go"),
    env: {
      ...inherited,
      GOROOT: goroot,
      // Build with this toolchain, never switch to another one.
      GOTOOLCHAIN: "local",
      PATH: `${bin}${path.delimiter}${inherited.PATH ?? ""}`,
    },
  };
}

/**
 * Builds FerretDB from the Go module proxy into .tools/bin (or `binary`)
 * once. Progress goes to stderr so a first `npm start` never looks hung.
 */
export async function ensureFerretDb({
  report = (line: string) => console.error(line),
  binary = ferretDbBinary,
}: {
  report?: (line: string) => void;
  binary?: string;
} = {}): Promise<string> {
  if (isFerretDbBuilt(binary)) return binary;
  const go = await goForBuild(report);
  report(
    `Building FerretDB ${FERRETDB_VERSION} (the embedded database) into ${shown(binary)}. This happens once and takes a few minutes on a fresh machine...`
  );
  mkdirSync(path.dirname(binary), { recursive: true });
  const started = Date.now();
  const child = spawn(go.command, ["build", "-trimpath", "-o", binary, "."], {
    cwd: sourceDir,
    env: { ...go.env, CGO_ENABLED: "0" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const ticker = setInterval(
    () =>
      report(
        `  still building FerretDB (${Math.round((Date.now() - started) / 1000)} s)...`
      ),
    15_000
  );
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", resolve);
    });
    if (code !== 0) {
      throw new EmbeddedDatabaseUnavailable(
        `Building FerretDB failed (go build exited with ${code}); see the output above.`
      );
    }
  } finally {
    clearInterval(ticker);
  }
  writeFileSync(stampOf(binary), sourceStamp());
  report(
    `FerretDB built in ${Math.round((Date.now() - started) / 1000)} s: ${shown(binary)}`
  );
  return binary;
}

/** Where FerretDB keeps its data: a PostgreSQL database or SQLite files. */
export type FerretDbBackend = { postgresqlUrl: string } | { sqliteDir: string };

export function spawnFerretDb(options: {
  backend: FerretDbBackend;
  port: number;
}): ChildProcess {
  const { backend } = options;
  let backendFlags: string[];
  if ("postgresqlUrl" in backend) {
    backendFlags = [
      "--handler=postgresql",
      `--postgresql-url=${backend.postgresqlUrl}`,
    ];
  } else {
    mkdirSync(backend.sqliteDir, { recursive: true });
    backendFlags = [
      "--handler=sqlite",
      `--sqlite-url=file:${backend.sqliteDir}/`,
    ];
  }
  return spawn(
    ferretDbBinary,
    [
      ...backendFlags,
      `--listen-addr=127.0.0.1:${options.port}`,
      "--log-level=error",
    ],
    { stdio: ["ignore", "ignore", "pipe"] }
  );
}
