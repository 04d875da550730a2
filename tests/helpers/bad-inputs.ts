/**
 * The bad inputs every params test tries, in one place: each table is a list
 * of [why it is bad, the value].
 */

/** Ids that must be a 400 (never a CastError 500). */
export const BAD_IDS: [string, string][] = [
  ["too short", "123"],
  ["not an id at all", "not-an-id"],
  ["not hex", "zzzzzzzzzzzzzzzzzzzzzzzz"],
  ["too long", "6650f3c2a1b2c3d4e5f607189"],
  ["an operator", "%24ne"],
  // The document's pattern refuses the spaces, so trimming them is no answer.
  ["a good id after a space", "%206650f3c2a1b2c3d4e5f60701"],
];

/** The same ids without their reasons, for `it.each` over plain values. */
export const BAD_ID_VALUES = BAD_IDS.map(([, id]) => id);

/** Pagination queries that must be a 400. */
export const BAD_PAGES: [string, string][] = [
  ["page 0", "page=0"],
  ["a negative page", "page=-1"],
  ["a page that is not a number", "page=abc"],
  ["a fractional page", "page=1.5"],
  ["limit 0", "limit=0"],
  ["a limit over 100", "limit=101"],
  ["a limit that is not a number", "limit=ten"],
  // The "simple" query parser makes a repeated key an array, never an object.
  ["a repeated page", "page=1&page=2"],
  // Numbers to Number(), but not integers as the document writes them.
  ["a page in hexadecimal", "page=0x10"],
  ["a limit in exponent notation", "limit=1e1"],
  ["a page after a space", "page=%202"],
];

/** Values that are no text of any kind: wrong types and injected operators. */
const NOT_TEXT: [string, unknown][] = [
  ["a number", 42],
  ["an operator object", { $ne: "" }],
  ["an array", ["a", "b"]],
  ["null", null],
];

/**
 * Text over the limit as sent that trimming would bring under it: the
 * document's maxLength is about the request, so it is refused all the same.
 */
export const paddedOverLimit = (maxLength: number): [string, string] => [
  `one character padded with spaces to ${maxLength + 1}`,
  `\u00cf${" ".repeat(maxLength)}`,
];

/** Bad values for a required text field of at most `maxLength` characters. */
export const badRequiredText = (maxLength: number): [string, unknown][] => [
  ["missing", undefined],
  ["empty", ""],
  ["only spaces", "   \n\t "],
  [`${maxLength + 1} characters`, "x".repeat(maxLength + 1)],
  paddedOverLimit(maxLength),
  ...NOT_TEXT,
];

/** Bad values for an optional text field of at most `maxLength` characters. */
export const badOptionalText = (maxLength: number): [string, unknown][] => [
  [`${maxLength + 1} characters`, "x".repeat(maxLength + 1)],
  paddedOverLimit(maxLength),
  ...NOT_TEXT,
];

/**
 * Text no text field may hold (README "Requests and answers"): each is a 400
 * naming the field.
 */
export const NOT_TEXT_CHARACTERS: [string, string][] = [
  ["a NUL byte", "before\u0000after"],
  ["a bell character", "ding\u0007"],
  ["an ANSI escape sequence", "\u001b[31mred"],
  ["DEL", "x\u007fy"],
  ["a lone high surrogate", "half \ud83d here"],
  ["a lone low surrogate", "\ude00 alone"],
];

// A form or query encoder turns a lone surrogate into U+FFFD (or throws)
// before sending: only the characters that survive encoding are tried there.
export const NOT_TEXT_CHARACTERS_IN_FORMS = NOT_TEXT_CHARACTERS.filter(
  ([why]) => !why.includes("surrogate")
);

/** Unusual but well-formed text: every text field keeps it exactly as sent. */
export const UNUSUAL_TEXT: [string, string][] = [
  ["a right-to-left override", "abc\u202edcba"],
  ["zero-width characters", "zero\u200bwidth\ufeff\u200djoiner"],
  ["emoji with skin tone and ZWJ", "hi 👋🏽 👩‍👩‍👧"],
  ["combining marks", "e\u0301 a\u0308 Z̤̈"],
  ["right-to-left script", "مرحبا بالعالم"],
  ["the replacement character itself", "\ufffd is fine"],
];
