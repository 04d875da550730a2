import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { appOpenApiDocument } from "../scripts/generated-files.js";
import {
  DEFAULT_BASE_URL,
  generatePostmanCollection,
  POSTMAN_COLLECTION_FILE,
} from "../scripts/postman.lib.js";
import { expectUpToDate } from "./helpers/generated-file.js";

interface CollectionRequest {
  method: string;
  url: { host: string[]; path: string[] };
  auth: { type: string; bearer?: { key: string; value: string }[] };
}
interface CollectionNode {
  item?: CollectionNode[];
  request?: CollectionRequest;
}

async function committedCollection() {
  return JSON.parse(await readFile(POSTMAN_COLLECTION_FILE, "utf8")) as {
    item: CollectionNode[];
    variable: { key: string; value: string }[];
  };
}

const requestsOf = (nodes: CollectionNode[]): CollectionRequest[] =>
  nodes.flatMap((node) => [
    ...(node.request ? [node.request] : []),
    ...requestsOf(node.item ?? []),
  ]);

/** "GET /api/v1/videos/{videoId}", as the OpenAPI document names it. */
const operationOf = (request: CollectionRequest) =>
  `${request.method} /${request.url.path
    .map((segment) => segment.replace(/^:(.+)$/, "{$1}"))
    .join("/")}`;

/** The document's operations, each with whether a token is ever sent. */
async function documentedOperations() {
  const document = await appOpenApiDocument();
  return Object.entries(document.paths ?? {}).flatMap(([route, item]) =>
    Object.entries(item ?? {}).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${route}`,
      authenticates: Boolean(
        (operation as { security?: unknown[] }).security?.length
      ),
    }))
  );
}

// Converting the whole document takes seconds, more on a busy machine: the
// first conversion serves both the staleness and the determinism checks.
let firstRun: Promise<string> | undefined;
const firstGeneration = () => (firstRun ??= generatePostmanCollection());

describe("docs/videotube.postman_collection.json", () => {
  it("is what npm run docs:postman makes from the current OpenAPI document", async () => {
    await expectUpToDate(
      POSTMAN_COLLECTION_FILE,
      await firstGeneration(),
      "npm run docs:postman"
    );
  }, 60_000);

  it("makes the same bytes every time, though the converter fakes example values at random", async () => {
    expect(await generatePostmanCollection()).toBe(await firstGeneration());
  }, 60_000);

  it("has one request for each operation of the OpenAPI document", async () => {
    const requests = requestsOf((await committedCollection()).item);
    const documented = await documentedOperations();
    expect(requests.map(operationOf).sort()).toEqual(
      documented.map((operation) => operation.name).sort()
    );
  });

  it("sends {{accessToken}} as a bearer token exactly where the document takes a token, and nothing elsewhere", async () => {
    const requests = requestsOf((await committedCollection()).item);
    const authenticates = new Map(
      (await documentedOperations()).map((o) => [o.name, o.authenticates])
    );
    for (const request of requests) {
      const expected = authenticates.get(operationOf(request))
        ? {
            type: "bearer",
            bearer: [{ key: "token", value: "{{accessToken}}" }],
          }
        : { type: "noauth" };
      expect(request.auth, operationOf(request)).toMatchObject(expected);
    }
    expect(requests.some((r) => r.auth.type === "noauth")).toBe(true);
  });

  it("addresses every request from {{baseUrl}}, which defaults to the local server", async () => {
    const collection = await committedCollection();
    expect(collection.variable).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: "baseUrl", value: DEFAULT_BASE_URL }),
        expect.objectContaining({ key: "accessToken", value: "" }),
      ])
    );
    for (const request of requestsOf(collection.item))
      expect(request.url.host).toEqual(["{{baseUrl}}"]);
  });
});
