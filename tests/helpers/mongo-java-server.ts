import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../src/db/embedded/net.js";
import { servingChild } from "../../src/db/embedded/serverChild.js";

// mongo-java-server, the tests' second engine (an independent implementation
// of MongoDB's wire protocol, in memory). The API never runs on it, so it
// lives with the tests, not in src/.

const projectRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../.."
);
const sourceDir = path.join(projectRoot, "tools", "mongo-java-server");
// The pom builds here (git-ignored), whoever runs Maven.
const buildDir = path.join(projectRoot, ".tools", "mongo-java-server");
const stampFile = path.join(buildDir, "build.stamp");
const classPath = [
  path.join(buildDir, "classes"),
  path.join(buildDir, "lib", "*"),
].join(path.delimiter);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? sourceFiles(full) : [full];
    })
    .sort();
}

/** A hash of the pom and every source: any change means a rebuild. */
function sourceStamp(): string {
  const hash = createHash("sha256");
  for (const file of sourceFiles(sourceDir)) {
    hash.update(path.relative(sourceDir, file)).update("\0");
    hash.update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

function isBuilt(): boolean {
  return (
    existsSync(stampFile) && readFileSync(stampFile, "utf8") === sourceStamp()
  );
}

/**
 * Builds the server with Maven (dependencies from Maven Central) into
 * .tools/mongo-java-server, once per change of its sources.
 */
export async function ensureMongoJavaServer(
  report: (line: string) => void = (line) => console.error(line)
): Promise<void> {
  if (isBuilt()) return;
  for (const tool of ["mvn", "java"])
    if (spawnSync(tool, ["-version"], { stdio: "ignore" }).status !== 0)
      throw new Error(
        `mongo-java-server needs \`${tool}\` (Debian: apt-get install openjdk-17-jre-headless maven)`
      );
  report("Building mongo-java-server into .tools/mongo-java-server...");
  const started = Date.now();
  // `clean` first: a changed version must not leave the old jars in lib/.
  const child = spawn(
    "mvn",
    ["-B", "-q", "-Dstyle.color=never", "clean", "package"],
    {
      cwd: sourceDir,
      stdio: ["ignore", "inherit", "inherit"],
    }
  );
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0)
    throw new Error(
      `Building mongo-java-server failed (mvn exited with ${code}); see the output above.`
    );
  writeFileSync(stampFile, sourceStamp());
  report(
    `mongo-java-server built in ${Math.round((Date.now() - started) / 1000)} s`
  );
}

export interface RunningMongoJavaServer {
  uri: string;
  stop(): Promise<void>;
}

/** Builds if needed, then serves an empty in-memory server on a free port. */
export async function startMongoJavaServer(): Promise<RunningMongoJavaServer> {
  await ensureMongoJavaServer();
  const port = await freePort();
  const child = spawn(
    "java",
    ["-cp", classPath, "videotube.Main", "127.0.0.1", String(port)],
    { stdio: ["ignore", "ignore", "pipe"] }
  );
  // It logs each command it refuses with a stack trace: only a start-up
  // failure shows them.
  const uri = `mongodb://127.0.0.1:${port}/`;
  const stop = await servingChild(child, "mongo-java-server", uri, 30_000);
  return {
    uri,
    stop,
  };
}
