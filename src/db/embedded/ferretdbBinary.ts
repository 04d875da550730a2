import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../../config.js";

export const FERRETDB_VERSION = "v1.24.2";

const sourceDir = path.join(projectRoot, "tools", "ferretdb");
const binDir = path.join(projectRoot, ".tools", "bin");
export const ferretDbBinary = path.join(binDir, "ferretdb");
const stampFile = `${ferretDbBinary}.stamp`;

/** A hash of what the binary is built from: a changed go.sum means a rebuild. */
function sourceStamp(): string {
  const hash = createHash("sha256");
  for (const file of ["go.mod", "go.sum", "main.go"]) {
    hash.update(readFileSync(path.join(sourceDir, file)));
  }
  return hash.digest("hex");
}

export function isFerretDbBuilt(): boolean {
  return (
    existsSync(ferretDbBinary) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, "utf8") === sourceStamp()
  );
}

export function hasGo(): boolean {
  return spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
}

export class EmbeddedDatabaseUnavailable extends Error {
  override name = "EmbeddedDatabaseUnavailable";
}

/**
 * Builds FerretDB from the Go module proxy into .tools/bin once. Progress goes
 * to stderr so a first `npm start` never looks hung.
 */
export async function ensureFerretDb(
  report: (line: string) => void = (line) => console.error(line)
): Promise<string> {
  if (isFerretDbBuilt()) return ferretDbBinary;
  if (!hasGo()) {
    throw new EmbeddedDatabaseUnavailable(
      "FerretDB (the embedded database) is not built and Go is not installed to build it. Install Go >= 1.24 and run `npm run db:build`, or set MONGODB_URI."
    );
  }
  report(
    `Building FerretDB ${FERRETDB_VERSION} (the embedded database) into .tools/bin. This happens once and takes a few minutes on a fresh machine...`
  );
  mkdirSync(binDir, { recursive: true });
  const started = Date.now();
  const child = spawn("go", ["build", "-trimpath", "-o", ferretDbBinary, "."], {
    cwd: sourceDir,
    env: { ...process.env, CGO_ENABLED: "0" },
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
  writeFileSync(stampFile, sourceStamp());
  report(
    `FerretDB built in ${Math.round((Date.now() - started) / 1000)} s: ${path.relative(projectRoot, ferretDbBinary)}`
  );
  return ferretDbBinary;
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
