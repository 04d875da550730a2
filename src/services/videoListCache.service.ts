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

/** After a video write on this instance: no page may show the old state. */
export function forgetVideoLists(): void {
  pages.clear();
}
