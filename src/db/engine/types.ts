import type { Model, Types, UpdateQuery } from "mongoose";

/** The kinds of database the app knows how to drive exactly. */
export type EngineName = "mongodb" | "ferretdb";

/** The fields to read: a projection object, or Mongoose's string of names. */
export type Projection = string | Record<string, 0 | 1>;

/** A sort as [field, direction] pairs, most significant first. */
export type SortOrder = readonly (readonly [string, 1 | -1])[];

/** A document read as plain data (lean), with its id. */
export type Lean<T> = T & { _id: Types.ObjectId };

/** What `changeDocument` writes, and what it then answers. */
export interface PlannedChange<T, R> {
  update: UpdateQuery<T>;
  result: R;
}

/** A counter's records changed by `delta` (negative: removed). */
export interface CountedChange<R> {
  result: R;
  delta: number;
}

/**
 * The operations whose right form depends on the engine. Services say what
 * they need through these; each engine's module says how.
 */
export interface Engine {
  readonly name: EngineName;

  /**
   * Runs `work`, whose writes of one document are each a single update that
   * does not depend on what was read, so no other write of the document
   * comes in the middle of one of them.
   */
  exclusively<T, R>(
    model: Model<T>,
    id: Types.ObjectId,
    work: () => Promise<R>
  ): Promise<R>;

  /**
   * Reads `fields` of one document, lets `plan` choose the update from them
   * (or throw), and writes it as if no other write came in between. `plan`
   * gets null when the document is gone, and may run more than once.
   */
  changeDocument<T, R>(
    model: Model<T>,
    id: Types.ObjectId,
    fields: readonly string[],
    plan: (current: Lean<Partial<T>> | null) => PlannedChange<T, R>
  ): Promise<R>;

  /**
   * Runs `change` (adding or removing the records a counter counts), then
   * moves the counter on the document by the `delta` it reports, and answers
   * the counter's new value. `recount` counts the records from scratch.
   */
  changeCounter<T, R>(
    model: Model<T>,
    id: Types.ObjectId,
    field: string,
    change: () => Promise<CountedChange<R>>,
    recount: () => Promise<number>
  ): Promise<{ result: R; count: number }>;

  /**
   * Sets the counter to `recount()` (records counted from scratch), unless a
   * change of the counter came in between: then it counts again.
   */
  recountCounter<T>(
    model: Model<T>,
    id: Types.ObjectId,
    field: string,
    recount: () => Promise<number>
  ): Promise<number>;

  /** How many documents match, and the sum of each of `fields` over them. */
  sumFields<T, F extends string>(
    model: Model<T>,
    match: Record<string, unknown>,
    fields: readonly F[]
  ): Promise<{ count: number } & Record<F, number>>;

  /**
   * The documents matching `filter` whose `field` is one of `values`,
   * `fields` only, in no particular order.
   */
  findWhereIn<T>(
    model: Model<T>,
    field: string,
    values: readonly unknown[],
    filter: Record<string, unknown>,
    fields: Projection
  ): Promise<Lean<T>[]>;

  /** Deletes the documents matching `filter` whose `field` is one of `values`. */
  deleteWhereIn<T>(
    model: Model<T>,
    field: string,
    values: readonly unknown[],
    filter: Record<string, unknown>
  ): Promise<void>;

  /**
   * How many documents matching `filter` hold each of `values` at `field`
   * (by the value's string form; a value with none is left out).
   */
  countPerValue<T>(
    model: Model<T>,
    field: string,
    values: readonly unknown[],
    filter: Record<string, unknown>
  ): Promise<Map<string, number>>;

  /**
   * One page of the documents matching `filter` in `sort` order (ending
   * with `_id`), `fields` only: the `skip` first left out, `limit` kept.
   */
  findPage<T>(
    model: Model<T>,
    filter: Record<string, unknown>,
    sort: SortOrder,
    page: { skip: number; limit: number },
    fields: Projection
  ): Promise<Lean<T>[]>;

  /** How many documents match `filter`. */
  countWhere<T>(
    model: Model<T>,
    filter: Record<string, unknown>
  ): Promise<number>;

  /**
   * Keeps documents whose `field` (a date) has passed from piling up: a TTL
   * index where the engine has them, else a sweep every `sweepEveryMs`.
   * Answers the function that stops the sweep.
   */
  expireDocuments<T>(
    model: Model<T>,
    field: string,
    sweepEveryMs: number
  ): Promise<() => void>;
}

/**
 * A model seen as plain records, for the engines' own queries, whose
 * filters and updates name fields by string.
 */
export type LooseModel = Model<Record<string, unknown>>;
export const loose = <T>(model: Model<T>): LooseModel =>
  model as unknown as LooseModel;

/** A projection of `fields` (dotted paths). */
export const projectionOf = (fields: readonly string[]) =>
  Object.fromEntries(fields.map((field) => [field, 1 as const]));

/** `sumFields`' answer, from the count and each field's sum. */
export const totalsOf = <F extends string>(
  count: number,
  fields: readonly F[],
  sumOf: (field: F) => number
) =>
  ({
    count,
    ...Object.fromEntries(fields.map((field) => [field, sumOf(field)])),
  }) as { count: number } & Record<F, number>;

/** The generic page: what MongoDB's indexes serve, and any engine answers. */
export const genericPage = <T>(
  model: Model<T>,
  filter: Record<string, unknown>,
  sort: SortOrder,
  { skip, limit }: { skip: number; limit: number },
  fields: Projection
): Promise<Lean<T>[]> =>
  loose(model)
    .find(filter, fields)
    .sort(Object.fromEntries(sort))
    .skip(skip)
    .limit(limit)
    .lean<Lean<T>[]>();
