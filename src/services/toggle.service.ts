import type { Model } from "mongoose";
import { isDuplicateKeyError } from "../utils/mongoErrors.js";

/**
 * Flips the existence of the one record that `pair` names, and says whether
 * it exists afterwards. Race-safety comes from the model's unique index over
 * the pair, not from a read: a delete that removed nothing means there was
 * none, and of concurrent creates only one can insert (the others hit the
 * duplicate key, which means the record exists, as they wanted).
 */
export async function toggleRecord<T>(
  model: Model<T>,
  pair: Partial<T>
): Promise<boolean> {
  const removed = await model.deleteOne(pair);
  if (removed.deletedCount > 0) return false;
  try {
    await model.create(pair);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  return true;
}
