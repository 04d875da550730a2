/**
 * User text as a literal inside a regular expression: `.*`, `(a+)+$` or `[`
 * match themselves. The escaped set is the one both JavaScript and RE2
 * (the regex engine of some MongoDB-protocol servers) treat as special.
 */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
