// npm run demo -- [--api-port 8000] [--spa-port 5173]
// The API as `npm start` runs it (embedded database, local storage), a small
// seeded network when the database is empty, and the browser SPA
// (examples/spa) on another origin, calling the API with cookies.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { parseArgs } from "node:util";
import mongoose from "mongoose";
import { config } from "../src/config.js";
import type { EmbeddedDatabase } from "../src/db/embedded/index.js";
import { SEED_PASSWORD } from "./seed/network.js";
import { startSpaServer, type SpaServer } from "./demo/spa-server.js";

const root = path.resolve(import.meta.dirname, "..");
const say = (line: string) => process.stdout.write(`${line}\n`);
const DEMO_VIDEOS = "24";

const { values } = parseArgs({
  options: {
    "api-port": { type: "string", default: String(config.port || 8000) },
    "spa-port": { type: "string", default: "5173" },
  },
});
const apiPort = Number(values["api-port"]);
const spaPort = Number(values["spa-port"]);
// One host name for both: localhost:8000 and localhost:5173 are two origins
// but one site, so the SameSite=Lax cookies go with the SPA's fetches.
const apiUrl = `http://localhost:${apiPort}`;
const spaUrl = `http://localhost:${spaPort}`;

const nodeScript = (script: string, args: string[], env: NodeJS.ProcessEnv) =>
  spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });

async function isEmpty(uri: string): Promise<boolean> {
  const connection = await mongoose
    .createConnection(uri, { dbName: config.db.name })
    .asPromise();
  try {
    const anyUser = await connection
      .collection("users")
      .findOne({}, { projection: { _id: 1 } });
    return anyUser === null;
  } finally {
    await connection.close();
  }
}

async function seed(env: NodeJS.ProcessEnv): Promise<void> {
  say("The database is empty: seeding a small demo network…");
  const child = nodeScript("scripts/seed.ts", ["--videos", DEMO_VIDEOS], env);
  child.stdout?.pipe(process.stdout);
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`the seed failed (exit ${code})`);
}

/** Starts src/index.ts and resolves once it listens; its log goes to ours. */
function startApi(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = nodeScript("src/index.ts", [], env);
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes("VideoTube API listening")) resolve(child);
    });
    void once(child, "exit").then(([code]) =>
      reject(new Error(`the API exited with ${String(code)}`))
    );
  });
}

let embedded: EmbeddedDatabase | undefined;
let api: ChildProcess | undefined;
let spa: SpaServer | undefined;
let stopping = false;

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say("Stopping the demo…");
  await spa?.close();
  if (api && api.exitCode === null && api.signalCode === null) {
    const exited = once(api, "exit");
    api.kill("SIGTERM");
    await exited;
  }
  await embedded?.stop();
  process.exit(code);
}

async function main() {
  if (config.cloudinary)
    throw new Error(
      "The demo seeds media on the local disk: unset CLOUDINARY_* to run it."
    );
  let uri = config.db.uri;
  if (uri === undefined) {
    say(`Starting the embedded database in ${config.db.dataDir}…`);
    const { startEmbeddedDatabase } =
      await import("../src/db/embedded/index.js");
    embedded = await startEmbeddedDatabase(config.db.dataDir);
    uri = embedded.uri;
  }
  const env: NodeJS.ProcessEnv = {
    MONGODB_URI: uri,
    DB_POSTGRESQL_URL: embedded?.postgresUrl ?? config.db.postgresUrl ?? "",
    // Absolute media URLs: the SPA's <img> and <video> load them from its own origin.
    PUBLIC_URL: apiUrl,
    PORT: String(apiPort),
    CORS_ORIGIN: [...new Set([...config.cors.origins, spaUrl])].join(","),
  };
  if (await isEmpty(uri)) await seed(env);
  api = await startApi(env);
  void once(api, "exit").then(() => stop(stopping ? 0 : 1));
  spa = await startSpaServer({ apiUrl, port: spaPort });
  say("");
  say(`  API:  ${apiUrl}/api/v1   (docs: ${apiUrl}/api-docs)`);
  say(`  SPA:  ${spa.url}`);
  say(`  Sign in as seed_0 with the password "${SEED_PASSWORD}", or sign up.`);
  say("  Ctrl-C stops everything.");
  say("");
}

process.once("SIGINT", () => void stop(0));
process.once("SIGTERM", () => void stop(0));
main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
});
