/**
 * The examples of the document's operations, composed from the examples of
 * the fields they are made of. Each field's example is written once, beside
 * its schema (an id, a date, a media URL, a title), and every answer and
 * request body that holds the field shows it, so an operation's example is
 * built from its schema and cannot drift from it. A field without an example
 * leaves its operation without one, which tests/openapi.examples.test.ts
 * reports: examples are written, never made up from a type.
 */

type Node = Record<string, unknown>;
interface Found {
  value: unknown;
}

const isNode = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const REF_PREFIX = "#/components/schemas/";

/** An example of `schema`, or undefined when a field it requires has none. */
export function exampleOf(
  schema: unknown,
  components: Record<string, unknown>,
  // Component names being expanded: a schema that holds itself has no finite example.
  expanding: ReadonlySet<string> = new Set()
): Found | undefined {
  if (!isNode(schema)) return undefined;
  const recurse = (part: unknown) => exampleOf(part, components, expanding);
  if ("example" in schema) return { value: schema.example };
  if (Array.isArray(schema.examples) && schema.examples.length > 0)
    return { value: schema.examples[0] };
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.slice(REF_PREFIX.length);
    if (expanding.has(name)) return undefined;
    return exampleOf(
      components[name],
      components,
      new Set(expanding).add(name)
    );
  }
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map(recurse);
    if (parts.some((part) => part === undefined || !isNode(part.value)))
      return undefined;
    return {
      value: Object.assign({}, ...parts.map((part) => part?.value)) as Node,
    };
  }
  for (const options of [schema.anyOf, schema.oneOf]) {
    if (!Array.isArray(options)) continue;
    for (const option of options) {
      const found = recurse(option);
      if (found) return found;
    }
    return undefined;
  }
  if ("const" in schema) return { value: schema.const };
  if (Array.isArray(schema.enum) && schema.enum.length > 0)
    return { value: schema.enum[0] };
  const types: unknown[] = Array.isArray(schema.type)
    ? schema.type
    : [schema.type];
  if (types.includes("object")) return objectExample(schema, recurse);
  if (types.includes("array")) {
    const item = recurse(schema.items);
    return item && { value: [item.value] };
  }
  return undefined;
}

/** Every required field, and every optional one that has an example. */
function objectExample(
  schema: Node,
  recurse: (part: unknown) => Found | undefined
): Found | undefined {
  const required = new Set(
    Array.isArray(schema.required) ? (schema.required as string[]) : []
  );
  const value: Node = {};
  for (const [name, property] of Object.entries(
    isNode(schema.properties) ? schema.properties : {}
  )) {
    const found = recurse(property);
    if (found) value[name] = found.value;
    else if (required.has(name)) return undefined;
  }
  return { value };
}

/** The media types whose bodies are plain fields an example can show (not files). */
const EXAMPLE_MEDIA_TYPES = [
  "application/json",
  "application/x-www-form-urlencoded",
];

/** Gives each response and each JSON or form body without an example the one its schema composes. */
export function addExamples(document: {
  paths?: unknown;
  components?: unknown;
}): void {
  const components =
    isNode(document.components) && isNode(document.components.schemas)
      ? document.components.schemas
      : {};
  const fill = (media: unknown) => {
    if (!isNode(media) || media.example !== undefined || media.examples) return;
    const found = exampleOf(media.schema, components);
    if (found) media.example = found.value;
  };
  const contentsOf = (holder: unknown) =>
    isNode(holder) && isNode(holder.content) ? holder.content : {};
  for (const pathItem of Object.values(
    isNode(document.paths) ? document.paths : {}
  )) {
    if (!isNode(pathItem)) continue;
    for (const operation of Object.values(pathItem)) {
      if (!isNode(operation)) continue;
      for (const response of Object.values(
        isNode(operation.responses) ? operation.responses : {}
      ))
        fill(contentsOf(response)["application/json"]);
      const body = contentsOf(operation.requestBody);
      for (const type of EXAMPLE_MEDIA_TYPES) fill(body[type]);
    }
  }
}
