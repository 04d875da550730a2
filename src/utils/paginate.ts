import type { Model } from "mongoose";
import { countWhere, findPage, type Lean } from "../db/engine/index.js";
import type { Pagination } from "../schemas/common.schema.js";

export interface Page<T> {
  docs: T[];
  totalDocs: number;
  limit: number;
  page: number;
  totalPages: number;
  pagingCounter: number;
  hasPrevPage: boolean;
  hasNextPage: boolean;
  prevPage: number | null;
  nextPage: number | null;
}

/**
 * One page of `model`'s documents matching `filter`, in the shape of
 * mongoose-aggregate-paginate-v2 that the course's clients read. The sort
 * ends with `_id` (in the sort's last direction) so equal keys keep one
 * order across pages; the page and the count each go through the engine's
 * own fastest form.
 */
export async function paginate<T>(
  model: Model<T>,
  filter: Record<string, unknown>,
  sort: Record<string, 1 | -1>,
  pagination: Pagination
): Promise<Page<Lean<T>>> {
  const order = Object.entries(sort);
  const last = order.at(-1)?.[1] ?? -1;
  if (sort._id === undefined) order.push(["_id", last]);
  const { page, limit } = pagination;
  const [docs, totalDocs] = await Promise.all([
    findPage(model, filter, order, { skip: (page - 1) * limit, limit }, {}),
    countWhere(model, filter),
  ]);
  return pageOf(docs, totalDocs, pagination);
}

/** A page built in code from a list already in memory (e.g. watch history). */
export function pageOf<T>(
  docs: T[],
  totalDocs: number,
  { page, limit }: Pagination
): Page<T> {
  const totalPages = Math.max(1, Math.ceil(totalDocs / limit));
  return {
    docs,
    totalDocs,
    limit,
    page,
    totalPages,
    pagingCounter: (page - 1) * limit + 1,
    hasPrevPage: page > 1,
    hasNextPage: page < totalPages,
    prevPage: page > 1 ? page - 1 : null,
    nextPage: page < totalPages ? page + 1 : null,
  };
}

/** Replaces each doc's docs through `map`, keeping the page fields. */
export function mapPage<T, U>(page: Page<T>, map: (docs: T[]) => U[]): Page<U> {
  return { ...page, docs: map(page.docs) };
}
