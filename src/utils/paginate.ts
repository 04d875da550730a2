import type {
  AggregatePaginateModel,
  AggregatePaginateResult,
  PipelineStage,
} from "mongoose";
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
 * One page through mongoose-aggregate-paginate-v2. `useFacet: false`: the
 * count is a query of its own, which an index serves on every engine. The sort
 * must end with _id so equal keys keep one order across pages.
 */
export async function paginate<D, T>(
  model: AggregatePaginateModel<D>,
  pipeline: PipelineStage[],
  sort: Record<string, 1 | -1>,
  { page, limit }: Pagination
): Promise<Page<T>> {
  const result: AggregatePaginateResult<T> = await model.aggregatePaginate<T>(
    model.aggregate<T>(pipeline),
    { page, limit, sort: { ...sort, _id: sort._id ?? -1 }, useFacet: false }
  );
  return toPage(result, page, limit);
}

export function toPage<T>(
  result: AggregatePaginateResult<T>,
  page: number,
  limit: number
): Page<T> {
  return {
    docs: result.docs,
    totalDocs: result.totalDocs,
    limit: result.limit ?? limit,
    page: result.page ?? page,
    totalPages: result.totalPages,
    pagingCounter: result.pagingCounter,
    hasPrevPage: result.hasPrevPage,
    hasNextPage: result.hasNextPage,
    prevPage: result.prevPage ?? null,
    nextPage: result.nextPage ?? null,
  };
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
