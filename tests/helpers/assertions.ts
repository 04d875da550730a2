import { expect } from "vitest";
import type { TestUser } from "./factories.js";
import { expectErrorEnvelope } from "./http.js";

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
