import mongoose from "mongoose";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createLike, createSubscription } from "./helpers/content.factories.js";
import { createUser, createVideo, type TestUser } from "./helpers/factories.js";
import { API, api } from "./helpers/http.js";

/**
 * The lookups that every page makes (a video by id, an owner's videos, a
 * video's likes, a user's history, a channel's subscribers) are answered from
 * an index. On FerretDB over PostgreSQL that is read from PostgreSQL's own
 * counters of index scans; on real MongoDB from the query planner.
 */

interface Lookup {
  name: string;
  collection: string;
  /** The filter's equality keys: an index on any of them serves it. */
  keys: string[];
  /** The request whose answer needs the lookup. */
  send: () => Promise<unknown>;
  /** The same lookup as a query, for MongoDB's explain(). */
  filter: () => Record<string, unknown>;
}

let owner: TestUser;
let fan: TestUser;
let videoId: string;

const lookups: Lookup[] = [
  {
    name: "a video by _id (GET /videos/:videoId)",
    collection: "videos",
    keys: ["_id"],
    send: () => api().get(`${API}/videos/${videoId}`),
    filter: () => ({ _id: new mongoose.Types.ObjectId(videoId) }),
  },
  {
    name: "an owner's videos (GET /videos?userId=)",
    collection: "videos",
    keys: ["owner"],
    send: () => api().get(`${API}/videos?userId=${owner.id}`),
    filter: () => ({ owner: new mongoose.Types.ObjectId(owner.id) }),
  },
  {
    name: "a viewer's like of a video (isLiked of GET /videos/:videoId)",
    collection: "likes",
    keys: ["targetType", "target", "likedBy"],
    send: () =>
      api().get(`${API}/videos/${videoId}`).set("Authorization", fan.bearer),
    filter: () => ({
      targetType: "video",
      target: new mongoose.Types.ObjectId(videoId),
      likedBy: new mongoose.Types.ObjectId(fan.id),
    }),
  },
  {
    name: "a user's watch history (GET /users/history)",
    collection: "watchentries",
    keys: ["user"],
    send: () =>
      api().get(`${API}/users/history`).set("Authorization", fan.bearer),
    filter: () => ({ user: new mongoose.Types.ObjectId(fan.id) }),
  },
  {
    name: "a channel's subscribers (GET /users/c/:username)",
    collection: "subscriptions",
    keys: ["channel"],
    send: () => api().get(`${API}/users/c/${owner.user.username}`),
    filter: () => ({ channel: new mongoose.Types.ObjectId(owner.id) }),
  },
];

beforeAll(async () => {
  owner = await createUser();
  fan = await createUser();
  const video = await createVideo(owner);
  videoId = String(video._id);
  await createLike(fan, "video", video);
  await createSubscription(fan, owner);
  // A watch, so the history collection has a row to find.
  await api().get(`${API}/videos/${videoId}`).set("Authorization", fan.bearer);
});

const postgresUrl = inject("postgresUrl");
const client =
  postgresUrl === undefined ? undefined : new pg.Client(postgresUrl);
const schema = () => mongoose.connection.name;

beforeAll(async () => {
  if (!client) return;
  await client.connect();
  // Fresh counters on every read, not a snapshot per transaction.
  await client.query("SET stats_fetch_consistency = none");
});
beforeAll(async () => {
  if (client) await sendAllOnPostgres();
});
afterAll(() => client?.end());

async function query<Row extends object>(
  sql: string,
  values: unknown[] = []
): Promise<Row[]> {
  const { rows } = await (client as pg.Client).query<Row>(sql, values);
  return rows;
}

async function tableOf(collection: string): Promise<string> {
  const rows = await query<{ table: string }>(
    `SELECT _jsonb->>'table' AS table FROM "${schema()}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = $1`,
    [collection]
  );
  expect(rows, `no table for ${collection}`).toHaveLength(1);
  return (rows[0] as { table: string }).table;
}

/** Scans so far of every index of `table` on `key` (GIN or btree). */
async function scansOn(table: string, key: string): Promise<number> {
  const rows = await query<{ scans: string | null; indexes: string }>(
    `SELECT sum(s.idx_scan) AS scans, count(*) AS indexes
       FROM pg_stat_user_indexes s
       JOIN pg_indexes i ON i.schemaname = s.schemaname AND i.indexname = s.indexrelname
      WHERE s.schemaname = $1 AND s.relname = $2 AND i.indexdef LIKE $3`,
    [schema(), table, `%'${key}'%`]
  );
  const [row] = rows;
  expect(
    Number(row?.indexes),
    `no index of ${table} on ${key}`
  ).toBeGreaterThan(0);
  expect(rows.length).toBe(1);
  return Number(row?.scans ?? 0);
}

/** The scan counts of the indexes on each of a lookup's keys. */
async function scansOf(lookup: Lookup): Promise<number[]> {
  const table = await tableOf(lookup.collection);
  const counts: number[] = [];
  // One client: its queries go one after another.
  for (const key of lookup.keys) counts.push(await scansOn(table, key));
  return counts;
}

/**
 * FerretDB over PostgreSQL: the lookup's request made PostgreSQL scan an
 * index on one of its keys (a GIN index FerretDB's own finds use, or the
 * btree of a declared index that a page read in SQL walks). Every request goes first, then the counters are
 * read: backends report them only some seconds after going idle.
 */
const scansBefore: number[][] = [];

async function sendAllOnPostgres() {
  for (const lookup of lookups) scansBefore.push(await scansOf(lookup));
  for (const lookup of lookups) await lookup.send();
}

async function expectIndexScan(lookup: Lookup) {
  const before = scansBefore[lookups.indexOf(lookup)] as number[];
  await vi.waitFor(
    async () => {
      const after = await scansOf(lookup);
      expect(after.some((count, i) => count > (before[i] as number))).toBe(
        true
      );
    },
    // A backend that stays connected (the pages' own pool) reports its
    // counters once it has been idle for up to 10 s.
    { timeout: 40_000, interval: 250 }
  );
}

/** MongoDB: the planner answers the lookup from an index. */
async function expectIndexPlan(lookup: Lookup) {
  await lookup.send();
  const plan = await mongoose.connection
    .collection(lookup.collection)
    .find(lookup.filter())
    .explain("queryPlanner");
  expect(JSON.stringify(plan.queryPlanner.winningPlan)).toMatch(
    /IXSCAN|IDHACK|EXPRESS_IXSCAN/
  );
}

describe("lookups by a key are answered from an index", () => {
  it.each(lookups)(
    "$name",
    (lookup) => (client ? expectIndexScan(lookup) : expectIndexPlan(lookup)),
    60_000
  );

  it("runs the engine as the indexes need it", async () => {
    if (client) {
      // Without it, prepared statements get a generic plan that no
      // expression index matches.
      const rows = await query<{ plan_cache_mode: string }>(
        "SHOW plan_cache_mode"
      );
      expect(rows[0]?.plan_cache_mode).toBe("force_custom_plan");
    } else {
      const indexes = await mongoose.connection
        .collection("videos")
        .listIndexes()
        .toArray();
      expect(indexes.map((index) => index.name)).toContain(
        "owner_1_createdAt_-1__id_-1"
      );
    }
  });
});
