import {
  authenticate,
  optionalAuthenticate,
} from "../../src/middlewares/auth.middleware.js";
import {
  loginAccountLimit,
  loginIpLimit,
} from "../../src/middlewares/loginLimit.middleware.js";
import {
  authLimit,
  readLimit,
  registrationLimit,
  uploadLimit,
  writeLimit,
} from "../../src/middlewares/rateLimit.middleware.js";
import type { MountedRoute } from "./mountedRoutes.js";
import {
  closedValidator,
  operationsOf,
  resolved,
  responseOf,
  successOf,
  type JsonSchema,
  type OpenApiDocument,
} from "./openapiDocument.js";

/**
 * What the OpenAPI document must say of every operation, as functions of
 * the document that list what is wrong (empty when nothing is), so a test
 * can run them on the served document and on broken copies of it.
 */

const EXAMPLE_BODY_TYPES = [
  "application/json",
  "application/x-www-form-urlencoded",
];
const RATE_LIMITS: unknown[] = [
  authLimit,
  readLimit,
  writeLimit,
  uploadLimit,
  registrationLimit,
  loginIpLimit,
  loginAccountLimit,
];

/** Every answer and every JSON or form body, with its example (if any). */
export function examplePlaces(document: OpenApiDocument) {
  return operationsOf(document).flatMap(({ key, operation }) => [
    ...Object.entries(operation.responses).map(([status, response]) => ({
      where: `${key} answer ${status}`,
      media: responseOf(document, response).content?.["application/json"],
    })),
    ...EXAMPLE_BODY_TYPES.flatMap((type) => {
      const media = operation.requestBody?.content[type];
      return media ? [{ where: `${key} body ${type}`, media }] : [];
    }),
  ]);
}

export function missingExamples(document: OpenApiDocument): string[] {
  return examplePlaces(document)
    .filter(({ media }) => media?.example === undefined)
    .map(({ where }) => `${where} has no example`);
}

export function invalidExamples(document: OpenApiDocument): string[] {
  const compile = closedValidator(document);
  return examplePlaces(document).flatMap(({ where, media }) => {
    if (!media?.schema || media.example === undefined) return [];
    const validate = compile(media.schema);
    return validate(media.example)
      ? []
      : [`${where}: ${JSON.stringify(validate.errors)}`];
  });
}

/**
 * Places in a schema that accept anything: no type at all (`unknown`,
 * `any`), an open object without fields, an untyped record or array.
 */
function looseSpots(
  schema: JsonSchema,
  components: Record<string, JsonSchema>,
  at: string,
  seen: Set<JsonSchema> = new Set()
): string[] {
  const node = resolved(schema, components);
  if (seen.has(node)) return [];
  seen.add(node);
  const inner = (part: unknown, where: string) =>
    looseSpots(part as JsonSchema, components, where, seen);
  for (const key of ["allOf", "anyOf", "oneOf"]) {
    if (Array.isArray(node[key]))
      return (node[key] as JsonSchema[]).flatMap((part, index) =>
        inner(part, `${at}.${key}[${index}]`)
      );
  }
  if ("const" in node || Array.isArray(node.enum)) return [];
  const types = [node.type].flat();
  if (node.type === undefined) return [`${at} has no type`];
  if (types.includes("array"))
    return node.items ? inner(node.items, `${at}[]`) : [`${at}[] is untyped`];
  if (!types.includes("object")) return [];
  const properties = Object.entries(
    (node.properties ?? {}) as Record<string, JsonSchema>
  );
  const extra = node.additionalProperties;
  const problems =
    extra === undefined || extra === true
      ? properties.length === 0
        ? [`${at} is an object with no fields that accepts any`]
        : []
      : extra === false
        ? []
        : inner(extra, `${at}[key]`);
  return [
    ...problems,
    ...properties.flatMap(([name, property]) =>
      inner(property, `${at}.${name}`)
    ),
  ];
}

export function looseSuccessData(document: OpenApiDocument): string[] {
  return operationsOf(document).flatMap(({ key, operation }) => {
    const envelope = successOf(operation)?.media?.schema;
    const data = (envelope?.properties as Record<string, JsonSchema>)?.data;
    if (!data) return [`${key} documents no success data`];
    return looseSpots(data, document.components.schemas, `${key} data`);
  });
}

export function missingStatuses(
  document: OpenApiDocument,
  mounted: MountedRoute[]
): string[] {
  const operations = new Map(
    operationsOf(document).map(({ key, operation }) => [key, operation])
  );
  return mounted.flatMap(({ operation: key, handlers }) => {
    const statuses = Object.keys(operations.get(key)?.responses ?? {});
    const readsToken =
      handlers.includes(authenticate) ||
      handlers.includes(optionalAuthenticate) ||
      (operations.get(key)?.security ?? []).length > 0;
    const limited = handlers.some((handler) => RATE_LIMITS.includes(handler));
    return [
      ...(readsToken && !statuses.includes("401")
        ? [`${key} reads a token but documents no 401`]
        : []),
      ...(limited && !statuses.includes("429")
        ? [`${key} is rate limited but documents no 429`]
        : []),
      ...(!limited && statuses.includes("429")
        ? [`${key} documents 429 but has no rate limit`]
        : []),
    ];
  });
}
