import pg from "pg";

/**
 * FerretDB v1 on PostgreSQL turns each MongoDB index into a btree on
 * `_jsonb->'key'`, but it sends every equality as `_jsonb->'key' @> value`
 * (containment), which only a GIN index can serve. So each top-level key of
 * each declared index, and `_id`, gets a GIN expression index beside it.
 * Fields searched by substring get a trigram GIN index (`pg_trgm`), which
 * serves the ILIKE the page reader sends for them.
 * Nothing here runs on real MongoDB, whose own indexes serve the same finds.
 */

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Two processes may create the same index at once: the loser's error says so.
const ALREADY_THERE = new Set(["42P07", "23505", "42710"]);

interface CollectionIndexes {
  table: string;
  indexes: { key: Record<string, number> }[] | null;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** The keys worth a GIN index: every top-level key of an index, and `_id`. */
export function ginKeys(indexes: CollectionIndexes["indexes"]): string[] {
  const keys = new Set(["_id"]);
  for (const index of indexes ?? [])
    for (const key of Object.keys(index.key)) if (KEY.test(key)) keys.add(key);
  return [...keys].sort();
}

/** The GIN index's name for `key` of `table` (under PostgreSQL's 63 bytes). */
export const ginIndexName = (table: string, key: string) =>
  `${table}_${key}_gin`.slice(0, 63);

/**
 * Adds the missing GIN indexes of every collection FerretDB keeps for
 * `database` (a PostgreSQL schema of that name). Returns how many it made.
 */
export async function addGinIndexes(
  postgresUrl: string,
  database: string
): Promise<number> {
  const client = new pg.Client(postgresUrl);
  await client.connect();
  try {
    const { rows } = await client.query<CollectionIndexes>(
      `SELECT _jsonb->>'table' AS table, _jsonb->'indexes' AS indexes
         FROM ${quote(database)}._ferretdb_database_metadata`
    );
    let created = 0;
    for (const { table, indexes } of rows) {
      for (const key of ginKeys(indexes)) {
        const name = ginIndexName(table, key);
        const exists = await client.query(
          "SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = $2",
          [database, name]
        );
        if (exists.rowCount !== 0) continue;
        try {
          await client.query(
            `CREATE INDEX IF NOT EXISTS ${quote(name)} ON ${quote(database)}.${quote(table)} USING gin ((_jsonb->'${key}'))`
          );
          created++;
        } catch (error) {
          if (!ALREADY_THERE.has((error as { code?: string }).code ?? ""))
            throw error;
        }
      }
    }
    return created;
  } catch (error) {
    // A database FerretDB has not written to yet has no metadata table.
    if ((error as { code?: string }).code === "42P01") return 0;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A collection's fields that are searched by substring. */
export interface SearchedFields {
  collection: string;
  fields: string[];
}

/** The trigram index's name for `key` of `table`. */
export const trigramIndexName = (table: string, key: string) =>
  `${table}_${key}_trgm`.slice(0, 63);

/**
 * Adds the missing trigram indexes of `searched` in `database`'s tables.
 * Without `pg_trgm` (a PostgreSQL of your own without it) searches still
 * work, reading every row; answers how many indexes it made.
 */
export async function addSearchIndexes(
  postgresUrl: string,
  database: string,
  searched: SearchedFields[]
): Promise<number> {
  const client = new pg.Client(postgresUrl);
  await client.connect();
  try {
    try {
      await client.query("CREATE EXTENSION IF NOT EXISTS pg_trgm");
    } catch (error) {
      if (!ALREADY_THERE.has((error as { code?: string }).code ?? ""))
        throw error;
    }
    let created = 0;
    for (const { collection, fields } of searched) {
      const { rows } = await client.query<{ table: string }>(
        `SELECT _jsonb->>'table' AS table FROM ${quote(database)}._ferretdb_database_metadata WHERE _jsonb->>'_id' = $1`,
        [collection]
      );
      const table = rows[0]?.table;
      if (table === undefined) continue;
      for (const key of fields.filter((field) => KEY.test(field))) {
        try {
          const result = await client.query(
            `CREATE INDEX IF NOT EXISTS ${quote(trigramIndexName(table, key))} ON ${quote(database)}.${quote(table)} USING gin ((_jsonb->>'${key}') gin_trgm_ops)`
          );
          if (result.command === "CREATE") created++;
        } catch (error) {
          if (!ALREADY_THERE.has((error as { code?: string }).code ?? ""))
            throw error;
        }
      }
    }
    return created;
  } finally {
    await client.end().catch(() => undefined);
  }
}
