import { beforeAll, describe, expect, it } from "vitest";
import {
  authenticate,
  optionalAuthenticate,
} from "../src/middlewares/auth.middleware.js";
import { fetchDocument, operationsOf } from "./helpers/openapiDocument.js";
import { mountedRoutes, type MountedRoute } from "./helpers/mountedRoutes.js";

/**
 * The document is the contract: every route the app mounts is documented,
 * and every documented operation is mounted, read from Express itself.
 */

type Security = Record<string, string[]>[] | undefined;
let documented: Map<string, Security>;
let mounted: MountedRoute[];

beforeAll(async () => {
  documented = new Map(
    operationsOf(await fetchDocument()).map(({ key, operation }) => [
      key,
      operation.security,
    ])
  );
  mounted = mountedRoutes();
});

describe("the document and the mounted routes", () => {
  it("finds the API's routes by walking the app", () => {
    // A walk that found nothing would make the two checks below vacuous.
    expect(mounted.length).toBeGreaterThanOrEqual(40);
    expect(mounted.map((route) => route.operation)).toContain(
      "PATCH /api/v1/playlist/add/{videoId}/{playlistId}"
    );
  });

  it("documents every mounted route", () => {
    const undocumented = mounted
      .map((route) => route.operation)
      .filter((operation) => !documented.has(operation));
    expect(undocumented).toEqual([]);
  });

  it("mounts every documented operation", () => {
    const routes = new Set(mounted.map((route) => route.operation));
    const unmounted = [...documented.keys()].filter(
      (operation) => !routes.has(operation)
    );
    expect(unmounted).toEqual([]);
  });

  it("documents both sign-in schemes where a route authenticates", () => {
    const wrong = mounted.flatMap(({ operation, handlers }) => {
      const schemes = (documented.get(operation) ?? []).map((requirement) =>
        Object.keys(requirement).sort().join("+")
      );
      const expected = handlers.includes(authenticate)
        ? ["bearerAuth", "cookieAuth"]
        : handlers.includes(optionalAuthenticate)
          ? ["", "bearerAuth", "cookieAuth"]
          : undefined;
      if (!expected) return [];
      return JSON.stringify(schemes.sort()) === JSON.stringify(expected)
        ? []
        : [`${operation}: ${JSON.stringify(schemes)}`];
    });
    expect(wrong).toEqual([]);
  });
});
