import mongoose, { Types } from "mongoose";
import type { DbCommand } from "../../src/db/commandLog.js";

/**
 * Whether a declared index serves each query the app sends, by MongoDB's
 * equality-sort-range rule: the equality fields (`$in` counts as one) are
 * the index's first keys, in any order; the sort's keys come next, all in
 * the index's direction or all reversed (no in-memory sort); range fields
 * placed after them bound the scan further, and a range field the index
 * lacks is filtered on the fetched documents. A query that is bounded by no
 * key and ordered by none is a collection scan: not served. Equality on
 * `_id`, or on every key of a unique index, is a point look-up. An
 * unanchored or case-insensitive regex bounds nothing. A `$or` (top level
 * or inside `$and`) is served when every branch, with the rest, is.
 */
export interface QueryShape {
  collection: string;
  method: string;
  filter: Record<string, unknown>;
  sort: Record<string, number>;
}

interface DeclaredIndex {
  keys: [string, number][];
  unique: boolean;
}

const READS = new Set([
  "find",
  "findOne",
  "countDocuments",
  "distinct",
  "aggregate",
]);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" &&
  value !== null &&
  !(value instanceof Types.ObjectId) &&
  !(value instanceof Date) &&
  !(value instanceof RegExp) &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;

/** The filter and sort of a read command, or undefined for a write. */
export function shapeOf(command: DbCommand): QueryShape | undefined {
  const { collection, method, args } = command;
  if (!READS.has(method)) return undefined;
  if (method === "aggregate") {
    const pipeline = (args[0] ?? []) as Record<string, unknown>[];
    const match = pipeline.find((stage) => "$match" in stage)?.$match;
    const sort = pipeline.find((stage) => "$sort" in stage)?.$sort;
    return {
      collection,
      method,
      filter: (match ?? {}) as Record<string, unknown>,
      sort: (sort ?? {}) as Record<string, number>,
    };
  }
  const filter = (method === "distinct" ? args[1] : args[0]) ?? {};
  const options = (method === "distinct" ? args[2] : args[1]) as
    { sort?: Record<string, number> } | undefined;
  return {
    collection,
    method,
    filter: filter as Record<string, unknown>,
    sort: options?.sort ?? {},
  };
}

/** Every index declared on the models, by collection, `_id` included. */
export function declaredIndexes(): Map<string, DeclaredIndex[]> {
  const byCollection = new Map<string, DeclaredIndex[]>();
  for (const model of Object.values(mongoose.models)) {
    const indexes: DeclaredIndex[] = [{ keys: [["_id", 1]], unique: true }];
    for (const [keys, options] of model.schema.indexes())
      indexes.push({
        keys: Object.entries(keys).map(([k, v]) => [k, Number(v)]),
        unique: options.unique === true,
      });
    byCollection.set(model.collection.collectionName, indexes);
  }
  return byCollection;
}

type Condition = "equality" | "range" | "unbounded";

function conditionOf(value: unknown): Condition {
  if (value instanceof RegExp)
    return unboundedRegex(value) ? "unbounded" : "range";
  if (!isPlainObject(value)) return "equality";
  const operators = Object.keys(value);
  if (
    operators.length > 0 &&
    operators.every((op) => op === "$eq" || op === "$in")
  )
    return "equality";
  if ("$regex" in value) {
    const pattern = String(value.$regex);
    const options = String(value.$options ?? "");
    return options.includes("i") || !pattern.startsWith("^")
      ? "unbounded"
      : "range";
  }
  return "range";
}

const unboundedRegex = (regex: RegExp) =>
  regex.flags.includes("i") || !regex.source.startsWith("^");

/** The filter as branches of plain field conditions ($and merged, $or split). */
function branchesOf(filter: Record<string, unknown>): Map<string, Condition>[] {
  let branches: Map<string, Condition>[] = [new Map()];
  for (const [key, value] of Object.entries(filter)) {
    if (key === "$and") {
      for (const part of value as Record<string, unknown>[])
        branches = branches.flatMap((branch) =>
          branchesOf(part).map((extra) => new Map([...branch, ...extra]))
        );
    } else if (key === "$or") {
      const alternatives = (value as Record<string, unknown>[]).flatMap(
        branchesOf
      );
      branches = branches.flatMap((branch) =>
        alternatives.map((extra) => new Map([...branch, ...extra]))
      );
    } else {
      for (const branch of branches) branch.set(key, conditionOf(value));
    }
  }
  return branches;
}

function servesBranch(
  { keys: index, unique }: DeclaredIndex,
  conditions: Map<string, Condition>,
  sort: [string, number][]
): boolean {
  const keys = index.map(([key]) => key);
  const isEquality = (key: string) => conditions.get(key) === "equality";
  if (unique && keys.every(isEquality)) return true;
  const equality = [...conditions].filter(([, c]) => c === "equality");
  const range = [...conditions].filter(([, c]) => c === "range");
  const prefix = new Set(keys.slice(0, equality.length));
  if (!equality.every(([field]) => prefix.has(field))) return false;
  // Sort keys the equality already fixes need no place in the index.
  const sortRest = sort.filter(([field]) => !prefix.has(field));
  const sortKeys = index.slice(
    equality.length,
    equality.length + sortRest.length
  );
  if (sortRest.length > 0) {
    if (sortKeys.some(([key], i) => key !== sortRest[i]?.[0])) return false;
    const same = sortKeys.every(([, d], i) => d === sortRest[i]?.[1]);
    const reversed = sortKeys.every(
      ([, d], i) => d === -(sortRest[i]?.[1] ?? 0)
    );
    if (!same && !reversed) return false;
  }
  const after = new Set(keys.slice(equality.length + sortRest.length));
  const boundedRange = range.some(([field]) => after.has(field));
  // Nothing bounded and nothing ordered by the index: a collection scan.
  return equality.length + sortRest.length > 0 || boundedRange;
}

/** True when some declared index serves every branch of the shape. */
export function isServed(shape: QueryShape, indexes: DeclaredIndex[]): boolean {
  const sort = Object.entries(shape.sort).map(
    ([field, direction]) => [field, Number(direction)] as [string, number]
  );
  return branchesOf(shape.filter).every((conditions) =>
    indexes.some((index) => servesBranch(index, conditions, sort))
  );
}

/** The shape as one line: values replaced by their kind. */
export function describeShape(shape: QueryShape): string {
  const kinds = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(kinds);
    if (isPlainObject(value))
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          k.startsWith("$") && !["$and", "$or"].includes(k) ? "…" : kinds(v),
        ])
      );
    return "…";
  };
  return `${shape.collection}.${shape.method} ${JSON.stringify(kinds(shape.filter))} sort ${JSON.stringify(shape.sort)}`;
}
