// Like toggles on one video, before and after the engine seam: 50 users,
// each on a connection of its own, toggle their like of the same video in a
// loop; req/s, latency, and whether the video's likesCount, its Like records
// and the users' last answers agree at the end. On the embedded FerretDB and
// on mongo-java-server, each with the app at BEFORE_COMMIT and with this
// checkout, measured in one run.
// Run: npx tsx bench/likes.bench.ts
//
// A child process pinned to core 0 with taskset starts the database, seeds
// it, and starts each version's API (`node --import tsx src/index.ts` in
// that version's folder), so all of them share core 0; the users' loops run
// in this process, pinned to core 1. Without taskset or with fewer than 2
// cores, nothing is pinned and the summary says so.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
} from "node:fs";
import { Agent, request } from "node:http";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { quantile, round1 } from "./lib/cannon.js";
import {
  canPin,
  descendants,
  killAll,
  killAllNow,
  message as nextMessage,
  spawnServer,
} from "./lib/processes.js";
import { createBenchUser, createBenchVideo } from "./lib/records.js";
import { setBenchEnv } from "./lib/server.js";
// No config behind it: safe before the bench sets its environment.
import { freePort } from "../src/db/embedded/net.js";

// The last commit before the engine seam: every like toggle took the video's
// queue and recounted, on every engine.
const BEFORE_COMMIT = "a6ccead";
const USERS = 50;
const WARMUP_SECONDS = 1;
const SECONDS = 10;
const REQUEST_TIMEOUT_MS = 30_000;
const APP_START_TIMEOUT_MS = 90_000;
const DB_NAME = "videotube_bench_likes";
// The whole bench stops by itself after this, whatever happens.
const DEADLINE_MS = 12 * 60_000;

const ENGINES = ["ferretdb", "mongo-java-server"] as const;
type EngineKind = (typeof ENGINES)[number];
const VERSIONS = ["before", "after"] as const;
type Version = (typeof VERSIONS)[number];

const projectRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  ".."
);

interface Ready {
  type: "ready";
  kind: string;
  videoId: string;
  bearers: string[];
}
interface AppReady {
  type: "app-ready";
  port: number;
}
interface Checked {
  type: "checked";
  likesCount: number;
  likeRecords: number;
}
interface Done {
  type: "done";
}
type ToServer =
  | { type: "reset" }
  | { type: "app"; version: Version; dir: string }
  | { type: "check" }
  | { type: "stop-app" }
  | { type: "stop" };

// ---------------------------------------------------------------- server ---

async function serve(engine: EngineKind, work: string): Promise<void> {
  const send = (message: Ready | AppReady | Checked | Done) =>
    process.send?.(message);
  setBenchEnv(work);

  // The one place that names the embedded database's module.
  const { startEmbeddedDatabase } = await import("../src/db/embedded/index.js");
  const { startMongoJavaServer } =
    await import("../tests/helpers/mongo-java-server.js");
  const { connectDB, disconnectDB, prepareIndexes } =
    await import("../src/db/index.js");

  let uri: string;
  let kind: string;
  let postgresUrl: string | undefined;
  let stopDatabase: () => Promise<void>;
  if (engine === "ferretdb") {
    const database = await startEmbeddedDatabase(path.join(work, "db"));
    // Its fallback is another engine altogether: not what this row measures.
    if (database.kind === "mongodb-memory-server") {
      await database.stop();
      throw new Error("the embedded FerretDB did not start");
    }
    ({ uri, kind, postgresUrl } = database);
    stopDatabase = () => database.stop();
  } else {
    const server = await startMongoJavaServer();
    uri = server.uri;
    kind = "mongo-java-server";
    stopDatabase = () => server.stop();
  }
  await connectDB(uri, DB_NAME, 30_000);
  const { Video } = await import("../src/models/video.model.js");
  const { Like } = await import("../src/models/like.model.js");
  const { startSession } = await import("../src/services/session.service.js");
  await prepareIndexes(postgresUrl);

  const create = (tag: string) =>
    createBenchUser("likes", tag, "correct horse battery");
  const [owner, ...users] = await Promise.all(
    ["owner", ...Array.from({ length: USERS }, (_, i) => `u${i}`)].map(create)
  );
  const video = await createBenchVideo(owner, "likes", {
    title: "Liked by the bench",
    description: "Like toggles on one video",
  });
  const sessions = await Promise.all(
    users.map((user) => startSession(user.id as string, "likes bench"))
  );

  let app: ChildProcess | undefined;
  // Never leave an API behind this process.
  process.on("exit", () => app?.kill("SIGKILL"));
  const stopApp = async () => {
    const running = app;
    app = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null)
      return;
    const exited = once(running, "exit");
    running.kill("SIGTERM");
    const timer = setTimeout(() => running.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const startApp = async (dir: string): Promise<number> => {
    const port = await freePort();
    const limit = "1000000";
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MONGODB_URI: uri,
      DB_NAME,
      PORT: String(port),
      LOG_LEVEL: "silent",
      RATE_LIMIT_AUTH: limit,
      RATE_LIMIT_UPLOADS: limit,
      RATE_LIMIT_WRITES: limit,
      RATE_LIMIT_READS: limit,
      // The variable was renamed with the seam: each version reads its own.
      ...(postgresUrl && {
        DB_POSTGRESQL_URL: postgresUrl,
        FERRETDB_POSTGRESQL_URL: postgresUrl,
      }),
    };
    // One process per version: no shared lock, one document queue each.
    delete env.REDIS_URL;
    const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
      cwd: dir,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    app = child;
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    const deadline = Date.now() + APP_START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(
          `the API in ${dir} exited (${child.exitCode}): ${stderr.trim()}`
        );
      try {
        const response = await fetch(
          `http://127.0.0.1:${port}/api/v1/healthcheck`,
          { signal: AbortSignal.timeout(2_000) }
        );
        if (response.status === 200) return port;
      } catch {
        // Not listening yet.
      }
      await sleep(200);
    }
    throw new Error(`the API in ${dir} did not answer within the time`);
  };

  const handle = async (message: ToServer) => {
    if (message.type === "reset") {
      await Like.deleteMany({ targetType: "video", target: video._id });
      await Video.updateOne({ _id: video._id }, { $set: { likesCount: 0 } });
      send({ type: "done" });
    } else if (message.type === "app") {
      send({ type: "app-ready", port: await startApp(message.dir) });
    } else if (message.type === "check") {
      const [stored, likeRecords] = await Promise.all([
        Video.findById(video._id, { likesCount: 1 }).lean(),
        Like.countDocuments({ targetType: "video", target: video._id }),
      ]);
      send({
        type: "checked",
        likesCount: stored?.likesCount ?? -1,
        likeRecords,
      });
    } else if (message.type === "stop-app") {
      await stopApp();
      send({ type: "done" });
    } else {
      await stopApp();
      await disconnectDB();
      await stopDatabase();
      process.exit(0);
    }
  };
  process.on("message", (message: ToServer) => {
    handle(message).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
  send({
    type: "ready",
    kind,
    videoId: video.id as string,
    bearers: sessions.map(({ accessToken }) => `Bearer ${accessToken}`),
  });
}

// ----------------------------------------------------------------- client ---

interface Load {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  statuses?: Record<string, number>;
  /** Users whose last 2xx answer said liked. */
  likedByLastAnswer: number;
  /** Answers over the whole run, warm-up included. */
  answers: number;
}

/** One POST on `agent`; its status and body, bounded by REQUEST_TIMEOUT_MS. */
function post(
  agent: Agent,
  url: URL,
  authorization: string
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method: "POST",
        headers: { authorization, "content-length": "0" },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      }
    );
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end();
  });
}

/**
 * Every user toggles in a loop on a keep-alive connection of its own (an
 * agent with one socket) for WARMUP_SECONDS + SECONDS; only answers inside
 * the last SECONDS count for req/s and latency. A loop stops sending at the
 * end but waits for its request under way, so every toggle the server made
 * has its answer here, and the last answers say the final state.
 */
async function toggles(
  port: number,
  videoId: string,
  bearers: string[]
): Promise<Load> {
  const url = new URL(
    `http://127.0.0.1:${port}/api/v1/likes/toggle/v/${videoId}`
  );
  const from = performance.now() + WARMUP_SECONDS * 1000;
  const to = from + SECONDS * 1000;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let answers = 0;
  const lastLiked = new Array<boolean>(bearers.length).fill(false);

  const user = async (index: number) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const bearer = bearers[index] as string;
    try {
      while (performance.now() < to) {
        const started = performance.now();
        try {
          const { status, body } = await post(agent, url, bearer);
          const now = performance.now();
          answers++;
          const inWindow = now >= from && now <= to;
          if (status >= 200 && status < 300) {
            const parsed = JSON.parse(body) as { data?: { liked?: unknown } };
            if (typeof parsed.data?.liked !== "boolean")
              throw new Error(`an answer without data.liked: ${body}`);
            lastLiked[index] = parsed.data.liked;
            if (inWindow) latencies.push(now - started);
          } else if (inWindow) {
            statuses[status] = (statuses[status] ?? 0) + 1;
          }
        } catch (error) {
          if (error instanceof SyntaxError) throw error;
          if ((error as Error).message.startsWith("an answer without"))
            throw error;
          errors++;
          await sleep(50);
        }
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(bearers.map((_, index) => user(index)));

  latencies.sort((a, b) => a - b);
  const non2xx = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    reqPerSec: round1(latencies.length / SECONDS),
    p50Ms: round1(quantile(latencies, 0.5)),
    p99Ms: round1(quantile(latencies, 0.99)),
    non2xx,
    errors,
    ...(non2xx > 0 ? { statuses } : {}),
    likedByLastAnswer: lastLiked.filter(Boolean).length,
    answers,
  };
}

interface Row extends Load {
  engine: EngineKind;
  database: string;
  version: Version;
  likesCount: number;
  likeRecords: number;
  consistent: boolean;
}

const git = (args: string[], cwd = projectRoot) => {
  const result = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`git ${args.join(" ")}: ${result.stderr.trim()}`);
  return result.stdout.trim();
};

/**
 * The before checkout borrows this one's node_modules: true only when the
 * dependencies are the same, that is package-lock.json is unchanged and
 * package.json differs at most in its scripts.
 */
/**
 * Whether the before checkout can borrow this checkout's node_modules: every
 * package its lockfile installs is installed here at the same version (this
 * checkout may add packages of its own).
 */
function sameDependencies(): boolean {
  type Lock = { packages: Record<string, { version?: string }> };
  const before = JSON.parse(
    git(["show", `${BEFORE_COMMIT}:package-lock.json`])
  ) as Lock;
  const now = JSON.parse(
    readFileSync(path.join(projectRoot, "package-lock.json"), "utf8")
  ) as Lock;
  return Object.entries(before.packages).every(
    ([name, { version }]) =>
      name === "" || now.packages[name]?.version === version
  );
}

const ratio = (a: number, b: number) =>
  b === 0 ? "n/a" : `${Math.round((a / b) * 100) / 100}x`;

// Before this process is pinned: availableParallelism() follows the pinning.
function machine() {
  const info = readFileSync("/proc/cpuinfo", "utf8");
  return {
    date: new Date().toISOString(),
    nproc: availableParallelism(),
    model:
      /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ??
      cpus()[0]?.model ??
      "unknown",
    node: process.version,
  };
}

async function measure(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), "videotube-bench-likes-"));
  // mkdtemp makes it 0700; the embedded PostgreSQL runs as `postgres` under root.
  chmodSync(work, 0o755);
  const beforeDir = path.join(work, "before");
  const pinned = canPin();
  const host = machine();
  // Other work on the machine moves the figures: said beside them.
  const loadAtStart = loadavg().map(round1);
  const started = Date.now();
  let child: ChildProcess | undefined;
  let worktreeAdded = false;

  const removeWorktree = () => {
    if (!worktreeAdded) return;
    worktreeAdded = false;
    // The link first: the borrowed node_modules must never be removed.
    const link = path.join(beforeDir, "node_modules");
    if (existsSync(link)) unlinkSync(link);
    spawnSync("git", ["worktree", "remove", "--force", beforeDir], {
      cwd: projectRoot,
      stdio: "ignore",
    });
    spawnSync("git", ["worktree", "prune"], {
      cwd: projectRoot,
      stdio: "ignore",
    });
  };
  const cleanUpNow = () => {
    if (child?.pid !== undefined)
      killAllNow([child.pid, ...descendants(child.pid)]);
    removeWorktree();
    rmSync(work, { recursive: true, force: true });
  };
  const deadline = setTimeout(() => {
    console.error(`likes bench: over ${DEADLINE_MS / 1000} s, stopping`);
    cleanUpNow();
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      cleanUpNow();
      process.exit(1);
    });

  const step = (text: string) =>
    console.error(
      `likes bench [${Math.round((Date.now() - started) / 1000)} s]: ${text}`
    );
  const rows: Row[] = [];
  try {
    if (!sameDependencies())
      throw new Error(
        `the dependencies changed since ${BEFORE_COMMIT}: the before checkout needs its own npm ci`
      );
    step(`checking out ${BEFORE_COMMIT} into ${beforeDir}`);
    git(["worktree", "add", "--detach", beforeDir, BEFORE_COMMIT]);
    worktreeAdded = true;
    symlinkSync(
      path.join(projectRoot, "node_modules"),
      path.join(beforeDir, "node_modules"),
      "dir"
    );
    const dirs: Record<Version, string> = {
      before: beforeDir,
      after: projectRoot,
    };
    const commits: Record<Version, string> = {
      before: git(["rev-parse", "--short", "HEAD"], beforeDir),
      after: git(["rev-parse", "--short", "HEAD"]),
    };

    for (const engine of ENGINES) {
      const engineWork = path.join(work, engine);
      mkdirSync(engineWork);
      chmodSync(engineWork, 0o755);
      step(`${engine}: starting the database and seeding ${USERS} users`);
      const server = spawnServer(
        fileURLToPath(import.meta.url),
        [engine, engineWork],
        pinned
      );
      child = server;
      const message = <T>(type: string) => nextMessage<T>(server, type);
      const ask = <T>(request: ToServer, type: string) => {
        const answer = message<T>(type);
        server.send(request);
        return answer;
      };
      const ready = await message<Ready>("ready");
      for (const version of VERSIONS) {
        await ask<Done>({ type: "reset" }, "done");
        step(`${engine}: starting the ${version} API (${commits[version]})`);
        const { port } = await ask<AppReady>(
          { type: "app", version, dir: dirs[version] },
          "app-ready"
        );
        step(`${engine}, ${version}: ${USERS} users toggling for ${SECONDS} s`);
        const load = await toggles(port, ready.videoId, ready.bearers);
        const { likesCount, likeRecords } = await ask<Checked>(
          { type: "check" },
          "checked"
        );
        await ask<Done>({ type: "stop-app" }, "done");
        rows.push({
          engine,
          database: ready.kind,
          version,
          ...load,
          likesCount,
          likeRecords,
          consistent:
            likesCount === likeRecords &&
            likeRecords === load.likedByLastAnswer,
        });
      }
      server.send({ type: "stop" } satisfies ToServer);
      await Promise.race([once(server, "exit"), sleep(15_000)]);
      await killAll([server.pid ?? 0, ...descendants(server.pid ?? 0)]);
      child = undefined;
    }

    const header =
      "| engine | version | req/s | p50 ms | p99 ms | non-2xx | errors | likesCount | Like records | liked by last answer | consistent |";
    const lines = rows.map(
      (row) =>
        `| ${row.engine} | ${row.version} (${commits[row.version]}) | ${row.reqPerSec} | ${row.p50Ms} | ${row.p99Ms} | ${row.non2xx} | ${row.errors} | ${row.likesCount} | ${row.likeRecords} | ${row.likedByLastAnswer} | ${row.consistent ? "yes" : "**no**"} |`
    );
    const ratios = ENGINES.map((engine) => {
      const of = (version: Version) =>
        rows.find((row) => row.engine === engine && row.version === version);
      const before = of("before");
      const after = of("after");
      if (!before || !after) return `| ${engine} | n/a | n/a | n/a |`;
      return `| ${engine} | ${ratio(after.reqPerSec, before.reqPerSec)} | ${ratio(after.p50Ms, before.p50Ms)} | ${ratio(after.p99Ms, before.p99Ms)} |`;
    });
    const summary = {
      machine: {
        ...host,
        loadAverage: { atStart: loadAtStart, atEnd: loadavg().map(round1) },
        pinned: pinned
          ? "database and API on core 0, the users' loops on core 1 (taskset)"
          : "not pinned",
        users: USERS,
        warmupSeconds: WARMUP_SECONDS,
        seconds: SECONDS,
        secondsTotal: Math.round((Date.now() - started) / 1000),
      },
      commits,
      rows,
    };
    process.stdout.write(JSON.stringify(summary, null, 2) + "\n\n");
    process.stdout.write(
      [
        header,
        `|${" --- |".repeat(11)}`,
        ...lines,
        "",
        "| engine | req/s after/before | p50 after/before | p99 after/before |",
        "| --- | --- | --- | --- |",
        ...ratios,
        "",
      ].join("\n")
    );
    if (rows.some((row) => !row.consistent)) process.exitCode = 2;
  } finally {
    clearTimeout(deadline);
    if (child?.pid !== undefined)
      await killAll([child.pid, ...descendants(child.pid)]);
    child = undefined;
    removeWorktree();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === "serve") {
  await serve(process.argv[3] as EngineKind, process.argv[4] as string);
} else {
  await measure();
}
