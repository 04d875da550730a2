/**
 * Which official Go toolchain the FerretDB build fetches when no suitable Go
 * is installed: the `golang.org/toolchain` module of the Go module proxy,
 * one zip per OS and architecture, as `GOTOOLCHAIN=go1.24.13` would fetch.
 */
export const TOOLCHAIN_MODULE = "golang.org/toolchain";
export const TOOLCHAIN_GO_VERSION = "1.24.13";

/**
 * The go.sum hashes of that version's zips, from the Go checksum database
 * (sum.golang.org, read through the module proxy) when the version was
 * chosen. Pinned so a download is checked against what was reviewed here;
 * another platform's hash is looked up in the checksum database at fetch
 * time (moduleProxy.ts).
 */
export const PINNED_HASHES: Readonly<Record<string, string>> = {
  "linux-amd64": "h1:5sgfUhn9QCgVl4UYj32GrIYFHI3bi2UX55tNfupXwxc=",
  "linux-arm64": "h1:l0oOtQpOBay3IDfyGSF3ZLivy3x5c1byllrr/QfyDeM=",
};

const GOOS: Partial<Record<NodeJS.Platform, string>> = {
  linux: "linux",
  darwin: "darwin",
  win32: "windows",
  freebsd: "freebsd",
  openbsd: "openbsd",
};
const GOARCH: Partial<Record<NodeJS.Architecture, string>> = {
  x64: "amd64",
  arm64: "arm64",
  ia32: "386",
  arm: "armv6l",
  ppc64: "ppc64le",
  s390x: "s390x",
  riscv64: "riscv64",
  loong64: "loong64",
};

/** Go's name for this machine, as the toolchain zips are named: linux-amd64. */
export function goPlatform(
  platform: NodeJS.Platform = process.platform,
  arch: NodeJS.Architecture = process.arch
): string {
  const goos = GOOS[platform];
  const goarch = GOARCH[arch];
  if (goos === undefined || goarch === undefined)
    throw new Error(`no official Go toolchain for ${platform}/${arch}`);
  return `${goos}-${goarch}`;
}

/** The module version of the toolchain zip: v0.0.1-go1.24.13.linux-amd64. */
export const toolchainModuleVersion = (platform = goPlatform()) =>
  `v0.0.1-go${TOOLCHAIN_GO_VERSION}.${platform}`;
