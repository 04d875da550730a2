import { expect } from "vitest";
import type { TestUser } from "./factories.js";
import { expectErrorEnvelope } from "./http.js";

/** Ids that must be a 400 (never a CastError 500), with why. */
export const BAD_IDS: [string, string][] = [
  ["too short", "123"],
  ["not hex", "zzzzzzzzzzzzzzzzzzzzzzzz"],
  ["too long", "6650f3c2a1b2c3d4e5f607189"],
  ["an operator", "%24ne"],
];

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
];

/** A 400 whose errors name `field`. */
export function expectFieldError(
  response: Parameters<typeof expectErrorEnvelope>[0],
  field: string
) {
  const body = expectErrorEnvelope(response, 400);
  expect(body.errors.map((error) => error.path)).toContain(field);
}

/** The OpenAPI document lists each of `paths` with its methods. */
export function expectDocumented(
  document: { paths: Record<string, Record<string, unknown>> },
  paths: Record<string, string[]>
) {
  for (const [path, methods] of Object.entries(paths)) {
    expect(document.paths, path).toHaveProperty([path]);
    expect(Object.keys(document.paths[path] ?? {}).sort(), path).toEqual(
      [...methods].sort()
    );
  }
}

/** A response body holds no password and none of `others`' emails. */
export function expectNoSecrets(body: unknown, others: TestUser[]) {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/password/i);
  for (const other of others) expect(text).not.toContain(other.user.email);
}
