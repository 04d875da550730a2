import type { Model } from "mongoose";
import { isDuplicateKeyError } from "../db/engine/index.js";

/**
 * Flips the existence of the one record that `pair` names, and says whether
 * it exists afterwards and whether this call changed it (a concurrent create
 * of the same pair may have got there first). Race-safety comes from the model's unique index over
 * the pair, not from a read: a delete that removed nothing means there was
 * none, and of concurrent creates only one can insert (the others hit the
 * duplicate key, which means the record exists, as they wanted).
 */
export async function toggleRecord<T>(
  model: Model<T>,
  pair: Partial<T>
): Promise<{ exists: boolean; changed: boolean }> {
  const removed = await model.deleteOne(pair);
  if (removed.deletedCount > 0) return { exists: false, changed: true };
  try {
    await model.create(pair);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return { exists: true, changed: false };
  }
  return { exists: true, changed: true };
}
