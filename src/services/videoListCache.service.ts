import { LRUCache } from "lru-cache";
import { config } from "../config.js";

/**
 * A short-lived, bounded cache in front of `GET /videos`: on the embedded
 * engine a page of all published videos (or a search) reads every match,
 * however small the page. Entries live LIST_CACHE_TTL_MS and at most
 * LIST_CACHE_MAX of them are kept; this instance's video writes (publish,
 * edit, publish toggle, delete) empty it at once. View counts in a cached
 * page may lag by up to the TTL, as may other instances' writes.
 */
const pages = new LRUCache<string, object>({
  max: config.videoLists.cacheMax,
  ttl: config.videoLists.cacheTtlMs,
});

/** The cached answer for `key`, or the one `load` makes (then cached). */
export async function cachedVideoList<T extends object>(
  key: object,
  load: () => Promise<T>
): Promise<T> {
  const name = JSON.stringify(key);
  const cached = pages.get(name);
  if (cached) return cached as T;
  const fresh = await load();
  pages.set(name, fresh);
  return fresh;
}

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
export async function cachedVideoTotal(
  key: object,
  count: () => Promise<number>
): Promise<number> {
  const name = JSON.stringify(key);
  const cached = totals.get(name);
  if (cached !== undefined) return cached;
  const fresh = await count();
  totals.set(name, fresh);
  return fresh;
}

/** After a video write on this instance: no page may show the old state. */
export function forgetVideoLists(): void {
  pages.clear();
  totals.clear();
}
