// The Postman collection made from the app's own OpenAPI document: one
// function so `npm run docs:postman` and the staleness test make the same bytes.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { convertV2, type CollectionResult } from "openapi-to-postmanv2";
import { appOpenApiDocument, formatForFile } from "./generated-files.js";

export const POSTMAN_COLLECTION_FILE = path.resolve(
  import.meta.dirname,
  "../docs/videotube.postman_collection.json"
);

export const DEFAULT_BASE_URL = "http://localhost:8000";

type Json = Record<string, unknown>;

interface PostmanAuth {
  type: string;
  bearer?: { key: string; value: string; type?: string }[];
}

interface PostmanNode {
  id?: string;
  name?: string;
  item?: PostmanNode[];
  request?: { auth?: PostmanAuth } & Json;
  response?: PostmanNode[];
}

export interface PostmanCollection extends PostmanNode {
  info: { _postman_id?: string; name: string } & Json;
  variable?: { key: string; value: string; type?: string }[];
  item: PostmanNode[];
}

/** The json-schema-faker instance the converter fakes example values with. */
const schemaFaker = createRequire(import.meta.url)(
  "openapi-to-postmanv2/assets/json-schema-faker.js"
) as { option(options: { random: () => number }): void };

/**
 * mulberry32: the converter fakes example values (ObjectIds, usernames from
 * their `pattern`) with random numbers; a seeded source makes them repeatable.
 */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function convertDeterministically(document: object) {
  schemaFaker.option({ random: seededRandom(12) });
  return new Promise<CollectionResult>((resolve, reject) =>
    convertV2(
      { type: "json", data: document },
      {
        folderStrategy: "Tags",
        // A saved example request carrying "Bearer <token>" teaches nothing.
        includeAuthInfoInExample: false,
      },
      (error, result) =>
        error || !result?.result || !result.output?.[0]
          ? reject(new Error(error?.message ?? result?.reason))
          : resolve(result)
    )
  );
}

/**
 * The converter cannot merge an `allOf` of two objects (it writes "Could not
 * resolve allOf schema" into the examples): merge them here, in a copy (the
 * converter also writes into the document it is given).
 */
function mergeObjectAllOfs(document: {
  components?: { schemas?: object };
}): Json {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Json>;
  const resolve = (schema: Json) =>
    typeof schema.$ref === "string"
      ? schemas[schema.$ref.replace("#/components/schemas/", "")]
      : schema;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== "object") return value;
    const node = Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, walk(child)])
    ) as Json;
    const parts = Array.isArray(node.allOf)
      ? (node.allOf as Json[]).map(resolve)
      : [];
    if (parts.length === 0 || !parts.every((p) => p?.type === "object"))
      return node;
    const { allOf: _allOf, ...rest } = node;
    return {
      ...rest,
      type: "object",
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
      required: [...new Set(parts.flatMap((p) => (p.required as []) ?? []))],
    };
  };
  return walk(document) as Json;
}

/** A UUID-shaped id made from where a node sits, so regenerating keeps it. */
function stableId(...parts: (string | number)[]) {
  const hex = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function normaliseIds(nodes: PostmanNode[] | undefined, parentId: string) {
  nodes?.forEach((node, index) => {
    const id = stableId(parentId, index, node.name ?? "");
    if ("id" in node) node.id = id;
    normaliseIds(node.item, id);
    normaliseIds(node.response, id);
  });
}

/**
 * Authenticated operations send `{{accessToken}}` as a bearer token (none is
 * sent while it is empty); public ones send nothing, because a token that
 * does not work is a 401 even on a public endpoint.
 */
function useAccessToken(nodes: PostmanNode[] | undefined) {
  for (const node of nodes ?? []) {
    useAccessToken(node.item);
    if (!node.request) continue;
    node.request.auth =
      node.request.auth?.type === "bearer"
        ? {
            type: "bearer",
            bearer: [
              { key: "token", value: "{{accessToken}}", type: "string" },
            ],
          }
        : { type: "noauth" };
  }
}

/** The collection of every operation, as plain data. */
export async function buildPostmanCollection(): Promise<PostmanCollection> {
  const document = mergeObjectAllOfs(await appOpenApiDocument());
  const result = await convertDeterministically(document);
  const collection = result.output![0]!.data as PostmanCollection;
  collection.info._postman_id = stableId(collection.info.name);
  normaliseIds(collection.item, collection.info._postman_id);
  useAccessToken(collection.item);
  collection.variable = [
    { key: "baseUrl", value: DEFAULT_BASE_URL, type: "string" },
    { key: "accessToken", value: "", type: "string" },
  ];
  return collection;
}

/** The text of docs/videotube.postman_collection.json, as prettier leaves it. */
export async function generatePostmanCollection(): Promise<string> {
  const collection = await buildPostmanCollection();
  return formatForFile(POSTMAN_COLLECTION_FILE, JSON.stringify(collection));
}
