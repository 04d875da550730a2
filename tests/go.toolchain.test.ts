import { readFile } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hash1, sha256Hex } from "../src/db/embedded/go/dirhash.js";
import { download } from "../src/db/embedded/go/download.js";
import {
  moduleProxy,
  moduleZipUrl,
} from "../src/db/embedded/go/moduleProxy.js";
import {
  goPlatform,
  toolchainModuleVersion,
} from "../src/db/embedded/go/toolchain.js";
import { isAtLeast, parseGoVersion } from "../src/db/embedded/go/findGo.js";
import AdmZip from "adm-zip";

describe("the Go toolchain fetch's parts", () => {
  it("reads the proxy from GOPROXY as the go command does", () => {
    expect(moduleProxy("")).toBe("https://proxy.golang.org");
    expect(moduleProxy("direct")).toBe("https://proxy.golang.org");
    expect(moduleProxy("off")).toBe("https://proxy.golang.org");
    expect(moduleProxy("https://goproxy.example/,direct")).toBe(
      "https://goproxy.example"
    );
    expect(moduleProxy("direct|http://mirror.local:3000|https://b")).toBe(
      "http://mirror.local:3000"
    );
  });

  it("names the toolchain zip of each platform as the proxy does", () => {
    expect(goPlatform("linux", "x64")).toBe("linux-amd64");
    expect(goPlatform("darwin", "arm64")).toBe("darwin-arm64");
    expect(toolchainModuleVersion("linux-amd64")).toMatch(
      /^v0\.0\.1-go1\.24\.\d+\.linux-amd64$/
    );
  });

  it("compares Go versions", () => {
    expect(parseGoVersion("go1.26.8")).toEqual([1, 26, 8]);
    expect(parseGoVersion("devel go1.27-abcdef")).toEqual([1, 27, 0]);
    expect(isAtLeast([1, 24, 0], [1, 24, 0])).toBe(true);
    expect(isAtLeast([1, 23, 9], [1, 24, 0])).toBe(false);
    expect(isAtLeast([2, 0, 0], [1, 24, 0])).toBe(true);
  });

  it("computes a module zip's h1: hash as go.sum records it (FerretDB's zip from the proxy)", async () => {
    const goSum = await readFile(
      path.resolve(import.meta.dirname, "../tools/ferretdb/go.sum"),
      "utf8"
    );
    const [, version, expected] =
      /^github\.com\/FerretDB\/FerretDB (v\S+) (h1:\S+)$/m.exec(goSum) ?? [];
    const work = await mkdtemp(path.join(tmpdir(), "videotube-h1-"));
    try {
      const zip = path.join(work, "module.zip");
      await download(
        // The proxy escapes capitals as !lowercase.
        moduleZipUrl(
          moduleProxy(),
          "github.com/!ferret!d!b/!ferret!d!b",
          version as string
        ),
        zip,
        "FerretDB module zip"
      );
      const files = new Map<string, string>();
      for (const entry of new AdmZip(await readFile(zip)).getEntries())
        files.set(entry.entryName, sha256Hex(entry.getData()));
      expect(hash1(files)).toBe(expected);
      files.set("extra.txt", sha256Hex(Buffer.from("x")));
      expect(hash1(files)).not.toBe(expected);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
