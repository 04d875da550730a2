import type { Router } from "express";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../src/app.js";
import { api } from "./helpers/http.js";

/**
 * The document is the contract: every route the app mounts is documented,
 * and every documented operation is mounted, read from Express itself.
 */

interface MountedRoute {
  operation: string;
  /** The names of the route's handlers, e.g. "authenticate". */
  handlers: string[];
}

interface Layer {
  name: string;
  rawPath?: unknown;
  handle: { stack?: Layer[] };
  route?: {
    path: string;
    methods: Record<string, boolean>;
    stack: { name: string }[];
  };
}

/**
 * Mounts that are not API operations: the document and its viewer at
 * /api-docs (they describe the API, they are not part of it). Static files
 * (/uploads and public/) are mounted as middleware, not routers, so the walk
 * below never meets them.
 */
const NOT_OPERATIONS = new Set(["/api-docs"]);

const toOpenApiPath = (expressPath: string) =>
  expressPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}").replace(/(.)\/$/, "$1");

/** Express 5 (router 2) keeps each layer's mount path as `rawPath`. */
function walk(stack: Layer[], prefix: string): MountedRoute[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const path = toOpenApiPath(`${prefix}${layer.route.path}`);
      return Object.keys(layer.route.methods)
        .filter((method) => method !== "_all")
        .map((method) => ({
          operation: `${method.toUpperCase()} ${path}`,
          handlers: layer.route?.stack.map((handler) => handler.name) ?? [],
        }));
    }
    if (!Array.isArray(layer.handle.stack)) return [];
    if (typeof layer.rawPath !== "string")
      throw new Error(`a router mounted at a non-string path: ${layer.name}`);
    const mountPath = `${prefix}${layer.rawPath === "/" ? "" : layer.rawPath}`;
    if (NOT_OPERATIONS.has(mountPath)) return [];
    return walk(layer.handle.stack, mountPath);
  });
}

type Security = Record<string, string[]>[] | undefined;
let documented: Map<string, Security>;
let mounted: MountedRoute[];

beforeAll(async () => {
  const document = (await api().get("/api-docs/openapi.json")).body as {
    paths: Record<string, Record<string, { security?: Security }>>;
  };
  documented = new Map(
    Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(
        ([method, operation]) =>
          [`${method.toUpperCase()} ${path}`, operation.security] as const
      )
    )
  );
  const router = (app as unknown as { router: Router & { stack: Layer[] } })
    .router;
  mounted = walk(router.stack, "");
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
      const expected = handlers.includes("authenticate")
        ? ["bearerAuth", "cookieAuth"]
        : handlers.includes("optionalAuthenticate")
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
