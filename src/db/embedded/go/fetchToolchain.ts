import { existsSync } from "node:fs";
import {
  chmod,
  mkdir,
  readFile,
  rename,
  rm,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { hash1, sha256Hex } from "./dirhash.js";
import { download } from "./download.js";
import { lookUpModuleHash, moduleProxy, moduleZipUrl } from "./moduleProxy.js";
import {
  PINNED_HASHES,
  TOOLCHAIN_GO_VERSION,
  TOOLCHAIN_MODULE,
  goPlatform,
  toolchainModuleVersion,
} from "./toolchain.js";
import AdmZip from "adm-zip";

/** A download that is not what the checksum database recorded: never used. */
export class ToolchainChecksumMismatch extends Error {
  override name = "ToolchainChecksumMismatch";
}

// Module zips keep no file modes: like the `go` command, make the programs
// executable again.
const EXECUTABLE = /^(?:bin|pkg\/tool)\//;

/**
 * The GOROOT of the official Go toolchain under `toolsDir/go/`, fetched from
 * the module proxy `goEnv` (the go command's environment) names the first time: downloaded with progress, checked against
 * its go.sum hash while unpacking into a temporary folder, and moved into
 * place only when the hash matches (so a folder that exists is complete).
 */
export async function ensureGoToolchain(
  toolsDir: string,
  goEnv: NodeJS.ProcessEnv,
  report: (line: string) => void
): Promise<string> {
  const platform = goPlatform();
  const goroot = path.join(
    toolsDir,
    "go",
    `go${TOOLCHAIN_GO_VERSION}.${platform}`
  );
  if (existsSync(path.join(goroot, "bin", "go"))) return goroot;

  const version = toolchainModuleVersion(platform);
  const proxy = moduleProxy(goEnv.GOPROXY);
  const expected =
    PINNED_HASHES[platform] ??
    (await lookUpModuleHash(proxy, TOOLCHAIN_MODULE, version));
  const url = moduleZipUrl(proxy, TOOLCHAIN_MODULE, version);
  const work = `${goroot}.partial-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    report(`Fetching Go ${TOOLCHAIN_GO_VERSION} from ${url}`);
    const zipFile = path.join(work, "toolchain.zip");
    await download(url, zipFile, `Go ${TOOLCHAIN_GO_VERSION} (${platform})`);
    report(`  checking its hash (${expected}) and unpacking it...`);
    const unpacked = path.join(work, "goroot");
    const actual = await unpackChecked(
      await readFile(zipFile),
      `${TOOLCHAIN_MODULE}@${version}/`,
      unpacked
    );
    if (actual !== expected)
      throw new ToolchainChecksumMismatch(
        `The Go toolchain from ${url} does not match its checksum: expected ${expected}, got ${actual}. Nothing was installed.`
      );
    await rename(unpacked, goroot).catch((error: unknown) => {
      // Another process (a parallel build) finished first: use its copy.
      if (!existsSync(path.join(goroot, "bin", "go"))) throw error;
    });
    report(`  Go ${TOOLCHAIN_GO_VERSION} is in ${goroot}`);
    return goroot;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Writes every file of the module zip (their names under `prefix`) below
 * `into`, and returns the zip's h1: hash.
 */
async function unpackChecked(
  zip: Buffer,
  prefix: string,
  into: string
): Promise<string> {
  const hashes = new Map<string, string>();
  const root = path.resolve(into);
  for (const entry of new AdmZip(zip).getEntries()) {
    const name = entry.entryName;
    const content = entry.getData();
    hashes.set(name, sha256Hex(content));
    if (entry.isDirectory) continue;
    if (!name.startsWith(prefix))
      throw new Error(`unexpected file in the toolchain zip: ${name}`);
    const relative = name.slice(prefix.length);
    const target = path.resolve(root, relative);
    if (!target.startsWith(root + path.sep))
      throw new Error(`unsafe path in the toolchain zip: ${name}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    if (EXECUTABLE.test(relative)) await chmod(target, 0o755);
  }
  return hash1(hashes);
}
