import { LRUCache } from "lru-cache";
import { config } from "../config.js";

/**
 * A short-lived, bounded cache in front of `GET /videos`: a page itself is
 * an index walk, but a large list's total counts every match (a sequential
 * scan on the embedded engine: 182 ms at 100,000 videos). Entries live LIST_CACHE_TTL_MS and at most
 * LIST_CACHE_MAX of them are kept; this instance's video writes (publish,
 * edit, publish toggle, delete) empty it at once. View counts in a cached
 * page may lag by up to the TTL, as may other instances' writes.
 */
const pages = new LRUCache<string, object>({
  max: config.videoLists.cacheMax,
  ttl: config.videoLists.cacheTtlMs,
});

/** The value `cache` holds for `key`, or the one `load` makes (then held). */
async function readThrough<V extends NonNullable<unknown>>(
  cache: LRUCache<string, V>,
  key: object,
  load: () => Promise<V>
): Promise<V> {
  const name = JSON.stringify(key);
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const fresh = await load();
  cache.set(name, fresh);
  return fresh;
}

/** The cached answer for `key`, or the one `load` makes (then cached). */
export const cachedVideoList = <T extends object>(
  key: object,
  load: () => Promise<T>
): Promise<T> => readThrough(pages, key, load) as Promise<T>;

/**
 * How many videos a list has, kept apart from its pages (same bounds): the
 * other pages and sorts of one list reuse it instead of counting every
 * match again, which on the embedded engine costs as much as the page.
 */
const totals = new LRUCache<string, number>({
  max: config.videoLists.cacheMax,
  ttl: config.videoLists.cacheTtlMs,
});

/** The cached total for the list `key` names, or the one `count` makes. */
export const cachedVideoTotal = (
  key: object,
  count: () => Promise<number>
): Promise<number> => readThrough(totals, key, count);

/** After a video write on this instance: no page may show the old state. */
export function forgetVideoLists(): void {
  pages.clear();
  totals.clear();
}
