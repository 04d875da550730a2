import { LRUCache } from "lru-cache";
import { config } from "../config.js";
import { Session } from "../models/session.model.js";
import { User, type UserDocument } from "../models/user.model.js";

/**
 * Who a valid access token belongs to, without a database round trip on most
 * requests: sessions and users are kept in bounded in-process caches for
 * `AUTH_CACHE_TTL_MS`. This instance forgets a session the moment it revokes
 * it (logout, password change, refresh-token reuse) and a user the moment it
 * writes one; another instance sharing the database notices within the TTL.
 */

interface CachedSession {
  userId: string;
  expiresAt: number;
}

const cacheOptions = {
  max: config.auth.cacheMax,
  ttl: config.auth.cacheTtlMs,
};
const sessions = new LRUCache<string, CachedSession>(cacheOptions);
// Lean objects, hydrated into a fresh document for each request, so no
// request can change what the next one is handed.
const users = new LRUCache<string, Record<string, unknown>>(cacheOptions);

async function sessionOf(sessionId: string): Promise<CachedSession | null> {
  const cached = sessions.get(sessionId);
  if (cached) return cached;
  // `_id` alone: the rest is checked here, so the lookup stays an index hit.
  const session = await Session.findById(sessionId, {
    user: 1,
    expiresAt: 1,
  }).lean();
  if (!session) return null;
  const entry = {
    userId: String(session.user),
    expiresAt: session.expiresAt.getTime(),
  };
  sessions.set(sessionId, entry);
  return entry;
}

async function userOf(userId: string): Promise<UserDocument | null> {
  const cached = users.get(userId);
  if (cached) return User.hydrate({ ...cached });
  const user = await User.findById(userId).lean();
  if (!user) return null;
  users.set(userId, user as unknown as Record<string, unknown>);
  return User.hydrate({ ...user });
}

/** The user of a live session `sessionId` that belongs to `userId`, or null. */
export async function findViewerUser(
  sessionId: string,
  userId: string
): Promise<UserDocument | null> {
  const [session, user] = await Promise.all([
    sessionOf(sessionId),
    userOf(userId),
  ]);
  if (!session || session.userId !== userId) return null;
  if (session.expiresAt <= Date.now()) return null;
  return user;
}

/** Sessions this instance has just ended. */
export function forgetSessions(sessionIds: Iterable<string>): void {
  for (const id of sessionIds) sessions.delete(id);
}

/** A user this instance has just written. */
export function forgetUser(userId: string): void {
  users.delete(userId);
}
