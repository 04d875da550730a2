import type { Router } from "express";
import { app } from "../../src/app.js";

/** A route the app mounts, read from Express itself. */
export interface MountedRoute {
  /** `METHOD /openapi/{path}`, as the document keys it. */
  operation: string;
  /** The route's handlers in order, e.g. authenticate, readLimit, ... */
  handlers: unknown[];
}

interface Layer {
  name: string;
  rawPath?: unknown;
  handle: { stack?: Layer[] };
  route?: {
    path: string;
    methods: Record<string, boolean>;
    stack: { handle: unknown }[];
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
      const handlers = layer.route.stack.map((handler) => handler.handle);
      return Object.keys(layer.route.methods)
        .filter((method) => method !== "_all")
        .map((method) => ({
          operation: `${method.toUpperCase()} ${path}`,
          handlers,
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

/** Every API route the app mounts. */
export function mountedRoutes(): MountedRoute[] {
  const router = (app as unknown as { router: Router & { stack: Layer[] } })
    .router;
  return walk(router.stack, "");
}
