import type { Model, Types } from "mongoose";
import { outsideRequests } from "../commandLog.js";
import { serialized } from "./documentQueue.js";
import { countByValue, countMatching, findDocuments } from "./ferretdbSql.js";
import {
  genericPage,
  loose,
  projectionOf,
  totalsOf,
  type Engine,
  type Lean,
  type Projection,
  type SortOrder,
} from "./types.js";

/**
 * FerretDB v1 applies an update as read-document, change in Go, write back,
 * with no isolation: two concurrent updates of one document (an $inc, an
 * $addToSet, a conditional update) can lose one of them. So here every write
 * of one document takes that document's turn (a queue in the process, and a
 * Redis lock across instances when REDIS_URL is set), and counters are
 * counted again from their records rather than incremented, which also heals
 * any drift. Its $group computes only its first accumulator (the others
 * answer 0), so sums are taken in code; it has no TTL indexes, so expired
 * documents are swept. It sends PostgreSQL neither a sort, nor a limit with
 * a filter, nor an `$in`: where the PostgreSQL under it is known, pages and
 * look-ups of several values are read there (ferretdbSql.ts), else one
 * indexed equality per value.
 */
// Look-ups of one value each run this many at a time: enough to overlap
// round trips, few enough to leave the pool to other requests.
const LOOKUPS_IN_FLIGHT = 16;

/**
 * `lookUp` of each distinct value (by its string form), this many at a time:
 * an `$in` is never pushed down to PostgreSQL and reads the whole
 * collection, while each top-level equality is an indexed look-up.
 */
async function eachOf<V, R>(
  values: readonly V[],
  lookUp: (value: V) => Promise<R>
): Promise<R[]> {
  const distinct = [
    ...new Map(values.map((value) => [String(value), value])).values(),
  ];
  const results: R[] = [];
  for (let start = 0; start < distinct.length; start += LOOKUPS_IN_FLIGHT) {
    const batch = distinct.slice(start, start + LOOKUPS_IN_FLIGHT);
    results.push(...(await Promise.all(batch.map(lookUp))));
  }
  return results;
}

const turnOf = (
  model: { collection: { collectionName: string } },
  id: Types.ObjectId
) => `${model.collection.collectionName}:${String(id)}`;

/** Counts the records again and stores the count (inside the turn). */
async function storeRecount<T>(
  model: Model<T>,
  id: Types.ObjectId,
  field: string,
  recount: () => Promise<number>
): Promise<number> {
  const count = await recount();
  await loose(model).updateOne(
    { _id: id },
    { $set: { [field]: count } },
    { timestamps: false }
  );
  return count;
}

export const ferretdbEngine: Engine = {
  name: "ferretdb",

  exclusively(model, id, work) {
    return serialized(turnOf(model, id), work);
  },

  changeDocument<T, R>(
    model: Model<T>,
    id: Types.ObjectId,
    fields: readonly string[],
    plan: Parameters<Engine["changeDocument"]>[3]
  ): Promise<R> {
    return serialized(turnOf(model, id), async () => {
      const current = await loose(model)
        .findOne({ _id: id }, projectionOf(fields))
        .lean<Lean<Partial<T>>>();
      const { update, result } = plan(current as Lean<Partial<T>> | null);
      if (current !== null) await loose(model).updateOne({ _id: id }, update);
      return result as R;
    });
  },

  changeCounter(model, id, field, change, recount) {
    return serialized(turnOf(model, id), async () => {
      const { result } = await change();
      return { result, count: await storeRecount(model, id, field, recount) };
    });
  },

  recountCounter(model, id, field, recount) {
    return serialized(turnOf(model, id), () =>
      storeRecount(model, id, field, recount)
    );
  },

  async sumFields(model, match, fields) {
    const rows = await loose(model)
      .find(match, { _id: 0, ...projectionOf(fields) })
      .lean<Record<string, unknown>[]>();
    return totalsOf(rows.length, fields, (field) =>
      rows.reduce(
        (total, row) =>
          total + (typeof row[field] === "number" ? row[field] : 0),
        0
      )
    );
  },
  async findWhereIn<T>(
    model: Model<T>,
    field: string,
    values: readonly unknown[],
    filter: Record<string, unknown>,
    fields: Projection
  ) {
    const read = await findDocuments(
      model,
      { ...filter, [field]: { $in: values } },
      fields
    );
    if (read !== undefined) return read;
    const found = await eachOf(values, (value) =>
      loose(model)
        .find({ ...filter, [field]: value }, fields)
        .lean<Lean<T>[]>()
    );
    return found.flat();
  },
  async deleteWhereIn(model, field, values, filter) {
    await eachOf(values, (value) =>
      loose(model)
        .deleteMany({ ...filter, [field]: value })
        .exec()
    );
  },
  async countPerValue(model, field, values, filter) {
    const counted = await countByValue(model, field, {
      ...filter,
      [field]: { $in: values },
    });
    if (counted !== undefined) return counted;
    const counts = await eachOf(values, async (value) => ({
      value,
      count: await loose(model).countDocuments({ ...filter, [field]: value }),
    }));
    return new Map(
      counts
        .filter(({ count }) => count > 0)
        .map(({ value, count }) => [String(value), count])
    );
  },
  async findPage<T>(
    model: Model<T>,
    filter: Record<string, unknown>,
    sort: SortOrder,
    page: { skip: number; limit: number },
    fields: Projection
  ) {
    return (
      (await findDocuments(model, filter, fields, sort, page)) ??
      genericPage(model, filter, sort, page, fields)
    );
  },
  async countWhere(model, filter) {
    return (
      (await countMatching(model, filter)) ??
      (await loose(model).countDocuments(filter).exec())
    );
  },
  async expireDocuments(model, field, sweepEveryMs) {
    const sweep = () =>
      outsideRequests(() =>
        loose(model)
          .deleteMany({ [field]: { $lte: new Date() } })
          .exec()
      );
    await sweep();
    const timer = setInterval(() => {
      // A sweep that fails (the database away) is simply the next one's work.
      sweep().catch(() => undefined);
    }, sweepEveryMs);
    timer.unref();
    return () => clearInterval(timer);
  },
};
