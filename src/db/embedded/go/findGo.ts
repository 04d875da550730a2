import { spawnSync } from "node:child_process";

/** [major, minor, patch] of a Go version ("go1.24.5", "1.24"). */
export function parseGoVersion(text: string): number[] | undefined {
  const match = /(?:^|go)(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

export function isAtLeast(version: number[], minimum: number[]): boolean {
  for (let index = 0; index < minimum.length; index++) {
    const have = version[index] ?? 0;
    const need = minimum[index] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
}

/**
 * True when the `go` on the PATH is at least `minimum`. Asked with
 * GOTOOLCHAIN=local: the version of that binary itself, not of one it would
 * switch to.
 */
export function hasGoAtLeast(
  minimum: number[],
  env: NodeJS.ProcessEnv
): boolean {
  const result = spawnSync("go", ["env", "GOVERSION"], {
    encoding: "utf8",
    env: { ...env, GOTOOLCHAIN: "local" },
  });
  if (result.status !== 0) return false;
  const version = parseGoVersion(result.stdout);
  return version !== undefined && isAtLeast(version, minimum);
}
