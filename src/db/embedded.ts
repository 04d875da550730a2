import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import mongoose from "mongoose";
import {
  EmbeddedDatabaseUnavailable,
  ensureFerretDb,
  spawnFerretDb,
} from "./ferretdb.js";

export interface EmbeddedDatabase {
  uri: string;
  kind: "ferretdb" | "mongodb-memory-server";
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") {
    throw new Error("could not find a free port");
  }
  return address.port;
}

export async function waitForPing(uri: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new mongoose.mongo.MongoClient(uri, {
      serverSelectionTimeoutMS: 500,
    });
    try {
      await client.connect();
      await client.db("admin").command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
      await sleep(100);
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  throw new Error(`database at ${uri} did not answer a ping`, {
    cause: lastError,
  });
}

async function stopChild(child: ChildProcess, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Starts FerretDB on SQLite files in `sqliteDir`, on a free loopback port. */
export async function startFerretDb(
  sqliteDir: string,
  port?: number
): Promise<EmbeddedDatabase> {
  await ensureFerretDb();
  const listenPort = port ?? (await freePort());
  const child = spawnFerretDb({ sqliteDir, port: listenPort });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  // Never leave the database running behind a crashed parent.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exitedEarly = once(child, "exit").then(() => {
    throw new Error(`FerretDB exited at start-up: ${stderr.trim()}`);
  });
  exitedEarly.catch(() => undefined);

  const uri = `mongodb://127.0.0.1:${listenPort}/`;
  try {
    await Promise.race([waitForPing(uri, 20_000), exitedEarly]);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    uri,
    kind: "ferretdb",
    async stop() {
      process.removeListener("exit", killOnExit);
      await stopChild(child);
    },
  };
}

/**
 * The database used when MONGODB_URI is not set: FerretDB where it is built
 * or buildable, else mongodb-memory-server where mongod can be downloaded.
 */
export async function startEmbeddedDatabase(
  sqliteDir: string
): Promise<EmbeddedDatabase> {
  try {
    return await startFerretDb(sqliteDir);
  } catch (ferretError) {
    if (!(ferretError instanceof EmbeddedDatabaseUnavailable))
      throw ferretError;
    try {
      const { MongoMemoryServer } = await import("mongodb-memory-server");
      const server = await MongoMemoryServer.create();
      return {
        uri: server.getUri(),
        kind: "mongodb-memory-server",
        async stop() {
          await server.stop();
        },
      };
    } catch (memoryError) {
      throw new EmbeddedDatabaseUnavailable(
        `${ferretError.message}\nmongodb-memory-server could not start either: ${(memoryError as Error).message}`
      );
    }
  }
}
