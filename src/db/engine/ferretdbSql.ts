import type { Model } from "mongoose";
import { Types } from "mongoose";
import { logCommand } from "../commandLog.js";
import type { Pool } from "pg";
import {
  documentOf,
  projected,
  UnreadableDocument,
} from "./ferretdbDocuments.js";
import type { Lean, Projection, SortOrder } from "./types.js";

/**
 * FerretDB v1 sends PostgreSQL neither a sort nor a limit once a query has
 * a filter, so a sorted page fetches every match and sorts it in Go. Where
 * FerretDB runs on a PostgreSQL the app can reach, the ids of a page are
 * read here straight from FerretDB's tables instead, by the btree indexes
 * FerretDB makes of each declared index, and the documents then come by
 * `_id` through FerretDB. Filters and sorts this module cannot translate
 * exactly answer `undefined`, and the caller takes the generic path.
 *
 * Layout: a collection is a table named in the schema's
 * `_ferretdb_database_metadata`; a document is its `_jsonb` column, with
 * strings, numbers and booleans as JSON values, ObjectIds as hex strings
 * and dates as milliseconds, so JSON order is MongoDB's order for one type
 * (strings byte-wise only under the C collation, checked when attached).
 */

let pool: Pool | undefined;
let schema = "";
let byteWiseStrings = false;
const tables = new Map<string, string>();

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** Reads pages of `database` from the PostgreSQL at `url` from now on. */
export async function attachPostgres(
  url: string,
  database: string
): Promise<void> {
  await detachPostgres();
  const { default: pg } = await import("pg");
  const attached = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client that loses its server must not take the process down.
  attached.on("error", () => undefined);
  const { rows } = await attached.query<{ collate: string }>(
    "SELECT datcollate AS collate FROM pg_database WHERE datname = current_database()"
  );
  byteWiseStrings = ["C", "POSIX"].includes(rows[0]?.collate ?? "");
  pool = attached;
  schema = database;
}

export async function detachPostgres(): Promise<void> {
  const attached = pool;
  pool = undefined;
  tables.clear();
  await attached?.end().catch(() => undefined);
}

async function tableOf(collection: string): Promise<string | undefined> {
  const known = tables.get(collection);
  if (known !== undefined || pool === undefined) return known;
  const { rows } = await pool.query<{ table: string }>(
    `SELECT _jsonb->>'table' AS table FROM ${quote(schema)}._ferretdb_database_metadata WHERE _jsonb->>'_id' = $1`,
    [collection]
  );
  const table = rows[0]?.table;
  if (table !== undefined) tables.set(collection, table);
  return table;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A scalar as FerretDB stores it, as JSON text; undefined: not a scalar. */
function storedJson(value: unknown): string | undefined {
  if (value instanceof Types.ObjectId)
    return JSON.stringify(value.toHexString());
  if (value instanceof Date) return JSON.stringify(value.getTime());
  if (typeof value === "string" || typeof value === "boolean")
    return JSON.stringify(value);
  if (typeof value === "number" && Number.isFinite(value))
    return JSON.stringify(value);
  return undefined;
}

/**
 * A case-insensitive regex that is a literal (user text through
 * escapeRegex) as an ILIKE pattern; undefined for any other regex. ILIKE
 * folds ASCII letters only under the C collation, so only an ASCII literal
 * qualifies (a regex's `i` folds other letters too).
 */
function containsText(value: Record<string, unknown>): string | undefined {
  const { $regex: source, $options: options, ...rest } = value;
  if (typeof source !== "string" || options !== "i") return undefined;
  if (Object.keys(rest).length > 0) return undefined;
  let text = "";
  for (let index = 0; index < source.length; index++) {
    const char = source[index] ?? "";
    if (char === "\\") {
      const escaped = source[index + 1] ?? "";
      if (!/[.*+?^${}()|[\]\\]/.test(escaped)) return undefined;
      text += escaped;
      index++;
    } else if (/[.*+?^${}()|[\]]/.test(char)) {
      return undefined;
    } else {
      text += char;
    }
  }
  // Printable ASCII only.
  if (!/^[\x20-\x7e]*$/.test(text)) return undefined;
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}

type PathKind = "scalar" | "string" | undefined;

/** What a model's path holds, as far as the translation cares. */
function kindOf(model: Model<never>, key: string): PathKind {
  if (key === "_id") return "scalar";
  const path = model.schema.path(key) as { instance?: string } | undefined;
  if (path === undefined) return undefined;
  if (path.instance === "String") return "string";
  return ["ObjectId", "Boolean", "Number", "Date"].includes(path.instance ?? "")
    ? "scalar"
    : undefined;
}

/**
 * `filter` as a SQL condition on `_jsonb`, its values pushed to `params`;
 * undefined when any part of it has no exact translation.
 */
function conditionOf(
  model: Model<never>,
  filter: Record<string, unknown>,
  params: unknown[]
): string | undefined {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === "$and" || key === "$or") {
      if (!Array.isArray(value) || value.length === 0) return undefined;
      const inner = value.map((clause: Record<string, unknown>) =>
        conditionOf(model, clause, params)
      );
      if (inner.some((part) => part === undefined)) return undefined;
      parts.push(`(${inner.join(key === "$and" ? " AND " : " OR ")})`);
      continue;
    }
    if (!KEY.test(key) || kindOf(model, key) === undefined) return undefined;
    const field = `_jsonb->'${key}'`;
    const json = storedJson(value);
    if (json !== undefined) {
      params.push(json);
      parts.push(`${field} = $${params.length}::jsonb`);
      continue;
    }
    if (value === null || typeof value !== "object") return undefined;
    const search = containsText(value as Record<string, unknown>);
    if (search !== undefined) {
      if (kindOf(model, key) !== "string") return undefined;
      params.push(search);
      // LIKE, not a regex: a trigram index serves it (see searchIndexes).
      parts.push(`(_jsonb->>'${key}') ILIKE $${params.length}`);
      continue;
    }
    const operators = Object.entries(value);
    if (operators.length !== 1) return undefined;
    const [[operator, operand]] = operators as [[string, unknown]];
    if (operator === "$exists" && typeof operand === "boolean") {
      parts.push(`${operand ? "" : "NOT "}(_jsonb ? '${key}')`);
    } else if (operator === "$in" && Array.isArray(operand)) {
      const values = operand.map(storedJson);
      if (values.some((item) => item === undefined)) return undefined;
      params.push(values);
      parts.push(`${field} = ANY($${params.length}::jsonb[])`);
    } else {
      return undefined;
    }
  }
  return parts.length === 0 ? "TRUE" : parts.join(" AND ");
}

/** The ORDER BY of `sort`, or undefined when it has no exact translation. */
function orderOf(model: Model<never>, sort: SortOrder): string | undefined {
  const terms: string[] = [];
  for (const [key, direction] of sort) {
    const kind = KEY.test(key) ? kindOf(model, key) : undefined;
    if (kind === undefined || (kind === "string" && !byteWiseStrings))
      return undefined;
    terms.push(`_jsonb->'${key}' ${direction === 1 ? "ASC" : "DESC"}`);
  }
  return terms.join(", ");
}

interface Statement {
  text: string;
  params: unknown[];
}

/**
 * The SELECT of `what` for the documents matching `filter`, in `sort` order
 * when given, or undefined where the generic path must serve it.
 */
async function selectOf(
  model: Model<never>,
  what: string,
  filter: Record<string, unknown>,
  sort?: SortOrder,
  page?: { skip: number; limit: number }
): Promise<Statement | undefined> {
  if (pool === undefined) return undefined;
  const params: unknown[] = [];
  const where = conditionOf(model, filter, params);
  const order = sort === undefined ? "" : orderOf(model, sort);
  if (where === undefined || order === undefined) return undefined;
  const table = await tableOf(model.collection.collectionName);
  if (table === undefined) return undefined;
  let text = `SELECT ${what} FROM ${quote(schema)}.${quote(table)} WHERE ${where}`;
  if (order !== "") text += ` ORDER BY ${order}`;
  if (page !== undefined) {
    params.push(page.limit, page.skip);
    text += ` LIMIT $${params.length - 1} OFFSET $${params.length}`;
  }
  return { text, params };
}

const asModel = <T>(model: Model<T>) => model as unknown as Model<never>;

/**
 * The documents matching `filter` (in `sort` order and cut to `page` when
 * given), read from PostgreSQL in one statement, `fields` only; undefined
 * when only the generic path can answer exactly. A sort must end with
 * `_id`, so the order is total. Documents written through the models hold
 * every field they are sorted by (required or defaulted), so PostgreSQL's
 * place for a missing value never matters.
 */
export async function findDocuments<T>(
  model: Model<T>,
  filter: Record<string, unknown>,
  fields: Projection,
  sort?: SortOrder,
  page?: { skip: number; limit: number }
): Promise<Lean<T>[] | undefined> {
  const named =
    typeof fields === "string" ? fields.split(/\s+/) : Object.keys(fields);
  if (named.some((name) => name.includes("."))) return undefined;
  const statement = await selectOf(
    asModel(model),
    "_jsonb",
    filter,
    sort,
    page
  );
  if (statement === undefined || pool === undefined) return undefined;
  logCommand({
    collection: model.collection.collectionName,
    method: "find",
    args: [
      filter,
      { ...(sort && { sort: Object.fromEntries(sort) }), ...page, fields },
    ],
  });
  const { rows } = await pool.query<{ _jsonb: Record<string, unknown> }>(
    statement.text,
    statement.params
  );
  try {
    return rows.map(
      (row) => projected(documentOf(row._jsonb), fields) as Lean<T>
    );
  } catch (error) {
    if (error instanceof UnreadableDocument) return undefined;
    throw error;
  }
}

/**
 * How many documents matching `filter` hold each value of `field` (by the
 * value's string form), or undefined (see findDocuments).
 */
export async function countByValue<T>(
  model: Model<T>,
  field: string,
  filter: Record<string, unknown>
): Promise<Map<string, number> | undefined> {
  if (!KEY.test(field)) return undefined;
  const statement = await selectOf(
    asModel(model),
    `_jsonb->>'${field}' AS value, count(*) AS count`,
    filter
  );
  if (statement === undefined || pool === undefined) return undefined;
  logCommand({
    collection: model.collection.collectionName,
    method: "aggregate",
    args: [[{ $match: filter }, { $group: { _id: `$${field}` } }]],
  });
  const { rows } = await pool.query<{ value: string | null; count: string }>(
    `${statement.text} GROUP BY 1`,
    statement.params
  );
  return new Map(
    rows.flatMap((row) =>
      row.value === null ? [] : [[row.value, Number(row.count)]]
    )
  );
}

/** PostgreSQL's plan for a page (for tests: which index serves it). */
export async function explainPage<T>(
  model: Model<T>,
  filter: Record<string, unknown>,
  sort: SortOrder,
  skip: number,
  limit: number
): Promise<string | undefined> {
  const statement = await selectOf(asModel(model), "_jsonb", filter, sort, {
    skip,
    limit,
  });
  if (statement === undefined || pool === undefined) return undefined;
  const { rows } = await pool.query<{ "QUERY PLAN": string }>(
    `EXPLAIN ${statement.text}`,
    statement.params
  );
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

/** How many documents match `filter`, or undefined (see findDocuments). */
export async function countMatching<T>(
  model: Model<T>,
  filter: Record<string, unknown>
): Promise<number | undefined> {
  const statement = await selectOf(asModel(model), "count(*) AS count", filter);
  if (statement === undefined || pool === undefined) return undefined;
  logCommand({
    collection: model.collection.collectionName,
    method: "countDocuments",
    args: [filter],
  });
  const { rows } = await pool.query<{ count: string }>(
    statement.text,
    statement.params
  );
  return Number(rows[0]?.count ?? 0);
}
