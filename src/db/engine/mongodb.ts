import type { Model, Types } from "mongoose";
import {
  genericPage,
  loose,
  projectionOf,
  totalsOf,
  type Engine,
  type Lean,
  type Projection,
} from "./types.js";

// Compare-and-set retries before giving up: each retry means another write
// of the same fields landed in between, so a few are plenty.
const MAX_ATTEMPTS = 20;

/**
 * The values `current` had at each of `fields`, as a filter that matches the
 * document only while they are unchanged (a missing field as null, which
 * also matches missing; an embedded document by each of its own fields).
 */
function unchangedFilter(
  current: Record<string, unknown>,
  fields: readonly string[]
): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const add = (path: string, value: unknown) => {
    if (
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      !(value instanceof Date) &&
      Object.getPrototypeOf(value) === Object.prototype
    ) {
      for (const [key, inner] of Object.entries(value)) {
        add(`${path}.${key}`, inner);
      }
      return;
    }
    filter[path] = value ?? null;
  };
  for (const field of fields) {
    const value = field
      .split(".")
      .reduce<unknown>(
        (at, key) =>
          at !== null && typeof at === "object"
            ? (at as Record<string, unknown>)[key]
            : undefined,
        current
      );
    add(field, value);
  }
  return filter;
}

/**
 * MongoDB and engines like it: each single-document update is atomic, so
 * counters use $inc, read-then-write changes a conditional update, sums one
 * $group, and expiry a TTL index. No queue, no lock.
 */
export const mongodbEngine: Engine = {
  name: "mongodb",

  exclusively(_model, _id, work) {
    return work();
  },

  async changeDocument<T, R>(
    model: Model<T>,
    id: Types.ObjectId,
    fields: readonly string[],
    plan: Parameters<Engine["changeDocument"]>[3]
  ): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      const current = await loose(model)
        .findOne({ _id: id }, projectionOf(fields))
        .lean<Lean<Partial<T>>>();
      const { update, result } = plan(current as Lean<Partial<T>> | null);
      if (current === null) return result as R;
      const written = await loose(model).updateOne(
        {
          _id: id,
          ...unchangedFilter(current as Record<string, unknown>, fields),
        },
        update
      );
      if (written.matchedCount === 1) return result as R;
      if (attempt === MAX_ATTEMPTS) {
        throw new Error(
          `${model.modelName} ${String(id)} changed under ${MAX_ATTEMPTS} writes in a row`
        );
      }
    }
  },

  async changeCounter(model, id, field, change) {
    const { result, delta } = await change();
    const counted =
      delta === 0
        ? await loose(model)
            .findOne({ _id: id }, { [field]: 1 })
            .lean()
        : await loose(model)
            .findOneAndUpdate(
              { _id: id },
              { $inc: { [field]: delta } },
              {
                returnDocument: "after",
                projection: { [field]: 1 },
                timestamps: false,
              }
            )
            .lean();
    const count = (counted as Record<string, unknown> | null)?.[field];
    return { result, count: typeof count === "number" ? count : 0 };
  },

  async recountCounter(model, id, field, recount) {
    for (let attempt = 1; ; attempt++) {
      const before = await loose(model)
        .findOne({ _id: id }, { [field]: 1 })
        .lean();
      if (before === null) return 0;
      const count = await recount();
      // Only if no $inc landed since the read: that change's record may be
      // missing from the count. (One whose record is counted but whose $inc
      // lands after this set is counted twice, until the next repair.)
      const written = await loose(model).updateOne(
        {
          _id: id,
          [field]: (before as Record<string, unknown>)[field] ?? null,
        },
        { $set: { [field]: count } },
        { timestamps: false }
      );
      if (written.matchedCount === 1 || attempt === MAX_ATTEMPTS) return count;
    }
  },

  async sumFields(model, match, fields) {
    const [totals] = await loose(model).aggregate<Record<string, number>>([
      { $match: match },
      {
        $group: {
          _id: null,
          count: { $sum: 1 },
          ...Object.fromEntries(
            fields.map((field) => [field, { $sum: `$${field}` }])
          ),
        },
      },
    ]);
    return totalsOf(
      totals?.count ?? 0,
      fields,
      (field) => totals?.[field] ?? 0
    );
  },
  async findWhereIn<T>(
    model: Model<T>,
    field: string,
    values: readonly unknown[],
    filter: Record<string, unknown>,
    fields: Projection
  ) {
    return loose(model)
      .find({ ...filter, [field]: { $in: values } }, fields)
      .lean<Lean<T>[]>();
  },
  async deleteWhereIn(model, field, values, filter) {
    await loose(model).deleteMany({ ...filter, [field]: { $in: values } });
  },
  async countPerValue(model, field, values, filter) {
    const rows = await loose(model).aggregate<{ _id: unknown; count: number }>([
      { $match: { ...filter, [field]: { $in: values } } },
      { $group: { _id: `$${field}`, count: { $sum: 1 } } },
    ]);
    return new Map(rows.map((row) => [String(row._id), row.count]));
  },
  findPage: genericPage,
  countWhere(model, filter) {
    return loose(model).countDocuments(filter).exec();
  },
  async expireDocuments(model, field) {
    // The server deletes them about once a minute; until then an expired
    // document is refused by whoever reads it.
    await model.collection.createIndex(
      { [field]: 1 },
      { expireAfterSeconds: 0 }
    );
    return () => undefined;
  },
};
