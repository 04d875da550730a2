import type { Connection, Model, Types, UpdateQuery } from "mongoose";
import { ferretdbEngine } from "./ferretdb.js";
import { mongodbEngine } from "./mongodb.js";
import {
  loose,
  type CountedChange,
  type Engine,
  type EngineName,
  type Lean,
  type Projection,
  type SortOrder,
  type PlannedChange,
} from "./types.js";

export type {
  CountedChange,
  EngineName,
  Lean,
  PlannedChange,
  SortOrder,
} from "./types.js";
export { isDuplicateKeyError } from "./errors.js";
export { attachPostgres, detachPostgres } from "./ferretdbSql.js";

const ENGINES: Record<EngineName, Engine> = {
  mongodb: mongodbEngine,
  ferretdb: ferretdbEngine,
};

// Until a connection says otherwise: the exact, slower way is right on any
// engine, so code that runs before detection is never wrong.
let current: Engine = ferretdbEngine;

/**
 * Which engine serves `connection`: FerretDB names itself in `buildInfo`;
 * anything else speaking MongoDB's protocol is driven as MongoDB.
 */
export async function detectEngine(
  connection: Connection
): Promise<EngineName> {
  const db = connection.db;
  if (db === undefined)
    throw new Error("detectEngine needs an open connection");
  const info: Record<string, unknown> = await db
    .admin()
    .command({ buildInfo: 1 });
  return Object.keys(info).some((key) => /ferret/i.test(key))
    ? "ferretdb"
    : "mongodb";
}

/** Drives every later operation the way `name` needs. */
export function useEngine(name: EngineName): void {
  current = ENGINES[name];
}

/** The engine the operations below are written for now. */
export const engineName = (): EngineName => current.name;

/**
 * Runs `work`, whose writes of the document are each one update that does
 * not depend on what was read (a `$set` of request fields, a `save()` of
 * them), so that no other write of the document lands inside one of them.
 */
export const exclusively = <T, R>(
  model: Model<T>,
  id: Types.ObjectId,
  work: () => Promise<R>
): Promise<R> => current.exclusively(model, id, work);

/** One update of one document, never interleaved with another write of it. */
export const updateDocument = <T>(
  model: Model<T>,
  id: Types.ObjectId,
  update: UpdateQuery<T>
): Promise<void> =>
  exclusively(model, id, async () => {
    await model.updateOne({ _id: id }, update);
  });

/**
 * Reads `fields` of one document, lets `plan` choose the update from them
 * (or throw: `plan` gets null when the document is gone), and writes it as
 * if no other write came in between; `plan` may run more than once.
 */
export const changeDocument = <T, R>(
  model: Model<T>,
  id: Types.ObjectId,
  fields: readonly string[],
  plan: (current: Lean<Partial<T>> | null) => PlannedChange<T, R>
): Promise<R> => current.changeDocument(model, id, fields, plan);

/**
 * Changes the records a counter counts (`change` says by how many), then
 * the counter kept on the document, exactly under concurrent changes;
 * answers the new count.
 */
export const changeCounter = <T, R>(
  model: Model<T>,
  id: Types.ObjectId,
  field: string,
  change: () => Promise<CountedChange<R>>,
  recount: () => Promise<number>
): Promise<{ result: R; count: number }> =>
  current.changeCounter(model, id, field, change, recount);

/**
 * Sets a counter kept on a document to its records counted from scratch
 * (`recount`), healing drift without losing a concurrent change.
 */
export const recountCounter = <T>(
  model: Model<T>,
  id: Types.ObjectId,
  field: string,
  recount: () => Promise<number>
): Promise<number> => current.recountCounter(model, id, field, recount);

/** How many documents match, and the sum of each of `fields` over them. */
export const sumFields = <T, F extends string>(
  model: Model<T>,
  match: Record<string, unknown>,
  fields: readonly F[]
): Promise<{ count: number } & Record<F, number>> =>
  current.sumFields(model, match, fields);

/**
 * The documents with these ids, in no particular order, `fields` only; one
 * id as the plain `{_id}` look-up, which every engine serves from an index.
 */
export const findByIds = <T>(
  model: Model<T>,
  ids: readonly Types.ObjectId[],
  fields: Projection
): Promise<Lean<T>[]> => findWhereIn(model, "_id", ids, {}, fields);

/**
 * The documents matching `filter` whose `field` is one of `values`, in no
 * particular order, `fields` only (say `{}` for all of them).
 */
export async function findWhereIn<T>(
  model: Model<T>,
  field: string,
  values: readonly unknown[],
  filter: Record<string, unknown>,
  fields: Projection
): Promise<Lean<T>[]> {
  if (values.length === 0) return [];
  if (values.length === 1)
    return loose(model)
      .find({ ...filter, [field]: values[0] }, fields)
      .lean<Lean<T>[]>();
  return current.findWhereIn(model, field, values, filter, fields);
}

/** Deletes the documents matching `filter` whose `field` is one of `values`. */
export const deleteWhereIn = <T>(
  model: Model<T>,
  field: string,
  values: readonly unknown[],
  filter: Record<string, unknown>
): Promise<void> =>
  values.length === 0
    ? Promise.resolve()
    : current.deleteWhereIn(model, field, values, filter);

/**
 * How many documents matching `filter` hold each of `values` at `field`,
 * by the value's string form (a value none holds is left out).
 */
export const countPerValue = <T>(
  model: Model<T>,
  field: string,
  values: readonly unknown[],
  filter: Record<string, unknown>
): Promise<Map<string, number>> =>
  values.length === 0
    ? Promise.resolve(new Map())
    : current.countPerValue(model, field, values, filter);

/**
 * One page of the documents matching `filter` in `sort` order, which must
 * end with `_id` so that equal keys keep one order across pages.
 */
export const findPage = <T>(
  model: Model<T>,
  filter: Record<string, unknown>,
  sort: SortOrder,
  page: { skip: number; limit: number },
  fields: Projection
): Promise<Lean<T>[]> => current.findPage(model, filter, sort, page, fields);

/** How many documents match `filter`. */
export const countWhere = <T>(
  model: Model<T>,
  filter: Record<string, unknown>
): Promise<number> => current.countWhere(model, filter);

/**
 * Keeps documents whose date `field` has passed from piling up (a TTL index,
 * or a sweep every `sweepEveryMs`); answers the function that stops it.
 */
export const expireDocuments = <T>(
  model: Model<T>,
  field: string,
  sweepEveryMs: number
): Promise<() => void> => current.expireDocuments(model, field, sweepEveryMs);
