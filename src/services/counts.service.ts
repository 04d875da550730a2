import { Types, type Model } from "mongoose";
import { countPerValue, findWhereIn } from "../db/engine/index.js";

type Id = Types.ObjectId | string;

const oids = (ids: Id[]) => ids.map((id) => new Types.ObjectId(String(id)));

/**
 * How many documents of `model` point at each of `ids` through `field`, for
 * a whole page at once: never one count per item on an engine that can
 * group, and each an indexed count on one that cannot.
 */
export const countByField = <T>(
  model: Model<T>,
  field: string,
  ids: Id[],
  extraMatch: Record<string, unknown> = {}
): Promise<Map<string, number>> =>
  countPerValue(model, field, oids(ids), extraMatch);

/** Which of `ids` match `filter` for the field, for a whole page at once. */
export async function presentIds<T>(
  model: Model<T>,
  field: string,
  ids: Id[],
  filter: Record<string, unknown>
): Promise<Set<string>> {
  const found = await findWhereIn(model, field, oids(ids), filter, {
    _id: 0,
    [field]: 1,
  });
  return new Set(
    found.map((doc) => String((doc as Record<string, unknown>)[field]))
  );
}
