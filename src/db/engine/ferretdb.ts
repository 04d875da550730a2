import type { Model, Types } from "mongoose";
import { outsideRequests } from "../commandLog.js";
import { serialized } from "./documentQueue.js";
import {
  loose,
  projectionOf,
  totalsOf,
  type Engine,
  type Lean,
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
 * documents are swept.
 */
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
