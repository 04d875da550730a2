/**
 * User text as a literal inside a regular expression: `.*`, `(a+)+$` or `[`
 * match themselves. The escaped set is the one both JavaScript and RE2
 * (FerretDB's engine) treat as special.
 */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
