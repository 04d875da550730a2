/**
 * What a log line must never carry: credentials in headers, passwords and
 * tokens under any key at any depth, and a JWT or a Bearer value inside any
 * string (an error message, a URL). pino's own `redact` needs every path
 * spelled out; a field added later would leak, so keys are matched by name.
 */
const SECRET_KEY = /pass(word)?|token|secret|authorization|cookie|api[-_]?key/i;
const SECRET_TEXT = [
  // Any JWT: three base64url parts, the first two starting with '{"'.
  /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/g,
  /\bBearer\s+\S+/gi,
];
const CENSOR = "[redacted]";
const MAX_DEPTH = 10;

function scrubText(text: string): string {
  return SECRET_TEXT.reduce(
    (scrubbed, pattern) => scrubbed.replace(pattern, CENSOR),
    text
  );
}

/** A copy of a log value with every secret replaced; the input is not changed. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH)
    return value;
  if (Array.isArray(value))
    return value.map((item) => redactSecrets(item, depth + 1));
  // Values that print as themselves (pino's own error, request and
  // response objects are walked: they hold messages, URLs and headers).
  if (
    value instanceof Date ||
    ArrayBuffer.isView(value) ||
    "_bsontype" in value
  )
    return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = SECRET_KEY.test(key) ? CENSOR : redactSecrets(field, depth + 1);
  }
  return copy;
}
