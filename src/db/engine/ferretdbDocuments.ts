import { Types } from "mongoose";
import type { Projection } from "./types.js";

/**
 * FerretDB v1's stored form of a document (its `_jsonb` column) back into
 * what a Mongoose `lean()` read answers: a JSON value per field, and beside
 * them a `$s` key giving each field's BSON type (`p`: the fields, `$k`: their
 * order; arrays list their items' types in `i`). Types the models do not
 * use are refused, so the caller reads such a document through FerretDB.
 */

interface TypeOf {
  t: string;
  i?: TypeOf[];
  $s?: Schema;
}

interface Schema {
  p: Record<string, TypeOf>;
  $k: string[];
}

export class UnreadableDocument extends Error {
  override name = "UnreadableDocument";
}

function valueOf(value: unknown, type: TypeOf): unknown {
  switch (type.t) {
    case "string":
    case "bool":
    case "int":
    case "long":
    case "double":
      return value;
    case "null":
      return null;
    case "objectId":
      return new Types.ObjectId(value as string);
    case "date":
      return new Date(value as number);
    case "object":
      return objectOf(value as Record<string, unknown>, type.$s);
    case "array":
      return (value as unknown[]).map((item, index) => {
        const itemType = type.i?.[index];
        if (itemType === undefined)
          throw new UnreadableDocument("an array item without its type");
        return valueOf(item, itemType);
      });
    default:
      throw new UnreadableDocument(`a field of type ${type.t}`);
  }
}

function objectOf(
  stored: Record<string, unknown>,
  schema: Schema | undefined
): Record<string, unknown> {
  if (schema === undefined)
    throw new UnreadableDocument("an object without its types");
  const document: Record<string, unknown> = {};
  for (const key of schema.$k) {
    const type = schema.p[key];
    if (type === undefined)
      throw new UnreadableDocument(`${key} without its type`);
    document[key] = valueOf(stored[key], type);
  }
  return document;
}

/** One stored document as lean() reads it. */
export const documentOf = (stored: Record<string, unknown>) =>
  objectOf(stored, stored.$s as Schema | undefined);

/** `document` cut to `fields` as a find's projection does (top-level keys). */
export function projected(
  document: Record<string, unknown>,
  fields: Projection
): Record<string, unknown> {
  const spec: Record<string, 0 | 1> =
    typeof fields === "string"
      ? Object.fromEntries(
          fields
            .split(/\s+/)
            .filter(Boolean)
            .map((name) =>
              name.startsWith("-") ? [name.slice(1), 0] : [name, 1]
            )
        )
      : fields;
  const entries = Object.entries(spec);
  const including = entries.some(([key, on]) => on === 1 && key !== "_id");
  if (!including) {
    const kept = { ...document };
    for (const [key, on] of entries) if (on === 0) delete kept[key];
    return kept;
  }
  const kept: Record<string, unknown> = {};
  if (spec._id !== 0 && "_id" in document) kept._id = document._id;
  for (const [key, on] of entries)
    if (on === 1 && key in document) kept[key] = document[key];
  return kept;
}
