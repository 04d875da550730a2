import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { api } from "./http.js";

/** The parts of the served OpenAPI document the contract tests read. */
export type JsonSchema = Record<string, unknown>;
export interface MediaType {
  schema?: JsonSchema;
  example?: unknown;
}
export interface ResponseObject {
  description?: string;
  content?: Record<string, MediaType>;
}
export interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, MediaType> };
  /** Inline, or a `$ref` to a response component (the error answers). */
  responses: Record<string, ResponseObject & { $ref?: string }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses?: Record<string, ResponseObject>;
  };
}

export async function fetchDocument(): Promise<OpenApiDocument> {
  const response = await api().get("/api-docs/openapi.json");
  if (response.status !== 200)
    throw new Error(`GET /api-docs/openapi.json answered ${response.status}`);
  return response.body as OpenApiDocument;
}

/** Every operation as `METHOD /path` with its object. */
export const operationsOf = (document: OpenApiDocument) =>
  Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      operation,
    }))
  );

/** A response, its `$ref` to a response component followed. */
export function responseOf(
  document: OpenApiDocument,
  response: ResponseObject & { $ref?: string }
): ResponseObject {
  if (typeof response.$ref !== "string") return response;
  const name = response.$ref.replace("#/components/responses/", "");
  const component = document.components.responses?.[name];
  if (!component) throw new Error(`unresolved response ${response.$ref}`);
  return component;
}

/** The operation's success status and its JSON answer, if documented. */
export function successOf(
  operation: Operation
): { status: string; media: MediaType | undefined } | undefined {
  const entry = Object.entries(operation.responses).find(([code]) =>
    code.startsWith("2")
  );
  return (
    entry && { status: entry[0], media: entry[1].content?.["application/json"] }
  );
}

/** The component a `$ref` names, or the schema itself. */
export function resolved(
  schema: JsonSchema,
  components: Record<string, JsonSchema>
): JsonSchema {
  return typeof schema.$ref === "string"
    ? (components[schema.$ref.replace("#/components/schemas/", "")] ?? {})
    : schema;
}

/**
 * A copy of a schema in which every object allows only its listed fields.
 * `allOf` of objects (zod's `.extend()` of a named schema) is merged into
 * one object first, since closing each part would refuse the other's fields.
 */
export function closed(
  schema: unknown,
  components: Record<string, JsonSchema>
): unknown {
  const close = (node: unknown) => closed(node, components);
  if (Array.isArray(schema)) return schema.map(close);
  if (schema === null || typeof schema !== "object") return schema;
  const node = schema as JsonSchema;
  if (Array.isArray(node.allOf)) {
    const parts = (node.allOf as JsonSchema[]).map((part) =>
      resolved(part, components)
    );
    const { allOf: _parts, ...rest } = node;
    return close({
      ...rest,
      type: "object",
      properties: Object.assign({}, ...parts.map((part) => part.properties)),
      required: parts.flatMap((part) => (part.required as string[]) ?? []),
    });
  }
  const copy = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === "properties"
        ? Object.fromEntries(
            Object.entries(value as object).map(([name, property]) => [
              name,
              close(property),
            ])
          )
        : close(value),
    ])
  );
  if (
    copy.type === "object" &&
    copy.properties &&
    !("additionalProperties" in copy)
  )
    copy.additionalProperties = false;
  return copy;
}

/**
 * Compiles schemas of the document (their `$ref`s to its components
 * included) with ajv's JSON Schema 2020-12, the dialect of OpenAPI 3.1,
 * every object closed: a value with a field the document does not list fails.
 */
export function closedValidator(
  document: OpenApiDocument
): (schema: JsonSchema) => ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat(
    "date-time",
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/
  );
  ajv.addFormat("binary", true);
  ajv.addFormat("email", /^[^\s@]+@[^\s@]+$/);
  ajv.addSchema(
    { components: closed(document.components, document.components.schemas) },
    "doc"
  );
  // One schema (the ApiError envelope) serves hundreds of answers: compile it once.
  const compiled = new Map<string, ValidateFunction>();
  return (schema) => {
    const text = JSON.stringify(
      closed(schema, document.components.schemas)
    ).replaceAll('"#/components/', '"doc#/components/');
    const known = compiled.get(text);
    if (known) return known;
    const validate = ajv.compile(JSON.parse(text) as JsonSchema);
    compiled.set(text, validate);
    return validate;
  };
}
