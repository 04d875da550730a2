import { Types, type Model } from "mongoose";

type Id = Types.ObjectId | string;

/**
 * How many documents of `model` point at each of `ids` through `field`: one
 * $group query for a whole page, never one count per item.
 */
export async function countByField<T>(
  model: Model<T>,
  field: string,
  ids: Id[],
  extraMatch: Record<string, unknown> = {}
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (ids.length === 0) return counts;
  const rows = await model.aggregate<{ _id: Types.ObjectId; count: number }>([
    {
      $match: {
        ...extraMatch,
        [field]: { $in: ids.map((id) => new Types.ObjectId(String(id))) },
      },
    },
    { $group: { _id: `$${field}`, count: { $sum: 1 } } },
  ]);
  for (const row of rows) counts.set(String(row._id), row.count);
  return counts;
}

/** Which of `ids` match `filter` for the field: one query for the page. */
export async function presentIds<T>(
  model: Model<T>,
  field: string,
  ids: Id[],
  filter: Record<string, unknown>
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const values = await model.distinct(field, {
    ...filter,
    [field]: { $in: ids.map((id) => new Types.ObjectId(String(id))) },
  });
  return new Set(values.map(String));
}
