import { createHash } from "node:crypto";

/**
 * Go's go.sum hash of a module zip ("h1:", the dirhash Hash1 algorithm): the
 * SHA-256, base64, of the lines "<sha256 hex>  <file name>\n" of every file,
 * sorted by name. `files` maps each zip entry name to its SHA-256 (hex).
 */
export function hash1(files: Map<string, string>): string {
  const names = [...files.keys()].sort((a, b) =>
    Buffer.compare(Buffer.from(a), Buffer.from(b))
  );
  const summary = createHash("sha256");
  for (const name of names) {
    if (name.includes("\n"))
      throw new Error(`a file name holds a newline: ${JSON.stringify(name)}`);
    summary.update(`${files.get(name)}  ${name}\n`);
  }
  return `h1:${summary.digest("base64")}`;
}

export const sha256Hex = (content: Buffer) =>
  createHash("sha256").update(content).digest("hex");
