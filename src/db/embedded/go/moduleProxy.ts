/**
 * The Go module proxy and checksum database, as the `go` command finds them:
 * the first URL in GOPROXY (else Go's own proxy), and sum.golang.org read
 * through that proxy first (proxies serve it under /sumdb/), then directly.
 */
const DEFAULT_PROXY = "https://proxy.golang.org";
const SUMDB = "sum.golang.org";

export function moduleProxy(goproxy = ""): string {
  const url = goproxy
    .split(/[,|]/)
    .map((entry) => entry.trim())
    .find((entry) => /^https?:\/\//.test(entry));
  return (url ?? DEFAULT_PROXY).replace(/\/+$/, "");
}

/** The URL of a module version's zip on `proxy`. */
export const moduleZipUrl = (proxy: string, module: string, version: string) =>
  `${proxy}/${module}/@v/${version}.zip`;

/**
 * The h1: hash the checksum database records for `module@version`. The
 * answer comes over TLS from the proxy or sum.golang.org; its Merkle-tree
 * proof is not checked here, which is why the common platforms' hashes are
 * pinned in toolchain.ts instead.
 */
export async function lookUpModuleHash(
  proxy: string,
  module: string,
  version: string
): Promise<string> {
  const path = `lookup/${module}@${version}`;
  const failures: string[] = [];
  for (const url of [
    `${proxy}/sumdb/${SUMDB}/${path}`,
    `https://${SUMDB}/${path}`,
  ]) {
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(15_000),
      });
      if (!response.ok) {
        failures.push(`${url}: HTTP ${response.status}`);
        continue;
      }
      const record = (await response.text())
        .split("\n")
        .map((line) => line.split(" "))
        .find(([name, at]) => name === module && at === version);
      if (record?.[2]?.startsWith("h1:")) return record[2];
      failures.push(`${url}: no h1 record for ${module}@${version}`);
    } catch (error) {
      failures.push(`${url}: ${(error as Error).message}`);
    }
  }
  throw new Error(
    `the checksum database has no hash for ${module}@${version} (${failures.join("; ")})`
  );
}
