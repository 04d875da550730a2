/** A database the development setup started, and how to reach and stop it. */
export interface EmbeddedDatabase {
  uri: string;
  kind: "ferretdb-postgresql" | "ferretdb-sqlite" | "mongodb-memory-server";
  /** Set for FerretDB on PostgreSQL: where prepareIndexes() adds GIN indexes. */
  postgresUrl?: string;
  stop(): Promise<void>;
}
