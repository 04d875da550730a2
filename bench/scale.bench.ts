// The scale run: the real app's pages at growing seed sizes (default 1,000
// and 100,000 videos), against the course baseline, with the RSS of the API
// and of its database after each size, and the scale issue's goals marked
// met or missed.
// Run: npm run bench [-- --sizes 1000,100000 --seconds 10 --connections 20]
//
// As bench/http.bench.ts: the server (the real app, the course baseline, and
// the embedded database, FerretDB on embedded PostgreSQL) runs in a child
// process pinned to core 0 with taskset; autocannon, the seed and the
// sequential requests run from this process, pinned to core 1.
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { once } from "node:events";
import type { Server } from "node:http";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  cannon,
  DRAIN_MS,
  sequential,
  WARMUP_SECONDS,
  type Measure,
  type SequentialMeasure,
} from "./lib/cannon.js";
import {
  canPin,
  commandOf,
  descendants,
  killAll,
  killAllNow,
  message,
  pssKiB,
  rssKiB,
  spawnServer,
} from "./lib/processes.js";
import {
  bareApps,
  closeAll,
  listen,
  portOf,
  setBenchEnv,
} from "./lib/server.js";

const DB_NAME = "videotube_bench";
const SIGN_IN_AS = "seed_1";
// A word of the seed's titles and descriptions (scripts/seed/network.ts).
const SEARCH_WORD = "sourdough";
const DEEP_PAGE = 50;
// A word in about a tenth of the seed's titles ("tips and tricks").
const COMMON_WORD = "tips";
// Page 5,001 of 10: the page-number page at offset 50,000.
const OFFSET_PAGE = 5_001;
const SORTS = ["createdAt", "views", "duration", "title"] as const;
// A keyed route whose first request takes longer than this is measured with
// sequential requests instead of a load run (see bench/README.md).
const SLOW_MS = 1_000;
// A load run that counts fewer answers than this is done again sequentially.
const MIN_ANSWERS = 10;
// Sequential measures: at least this many requests after one warm-up, for
// at least `seconds`, and no longer than the budget once one is done.
const SEQUENTIAL_MIN = 5;
const SEQUENTIAL_BUDGET_MS = 120_000;
// Longer than any measured run, so that a cached page does not expire in
// the middle of one (the default is 10 s; see bench/README.md).
const BENCH_LIST_CACHE_TTL_MS = 600_000;
const AUTOCANNON_TIMEOUT_S = 30;
const MAX_DRAIN_MS = 30_000;

interface Ready {
  type: "ready";
  ports: { app: number; uncached: number; baseline: number };
  dbKind: string;
  uri: string;
  postgresUrl?: string;
}

interface Picked {
  type: "picked";
  userId: string;
  videoId: string;
  ownerId: string;
  commentedVideoId: string;
}

// ---------------------------------------------------------------- server ---

async function serve(work: string): Promise<void> {
  const send = (value: Ready | Picked | { type: "done" }) =>
    process.send?.(value);
  setBenchEnv(work);
  process.env.LIST_CACHE_TTL_MS = String(BENCH_LIST_CACHE_TTL_MS);
  // A size's routes take longer than the default 15 minutes at 100,000
  // videos: the token signed in at its start must last the whole size.
  process.env.ACCESS_TOKEN_EXPIRY = "6h";

  const { startEmbeddedDatabase } = await import("../src/db/embedded/index.js");
  const { connectDB, disconnectDB, prepareIndexes } =
    await import("../src/db/index.js");
  const database = await startEmbeddedDatabase(path.join(work, "db"));
  let stopping: Promise<void> | undefined;
  const servers: Server[] = [];
  const stop = (code: number) => {
    stopping ??= (async () => {
      await closeAll(servers).catch(() => undefined);
      await disconnectDB().catch(() => undefined);
      await database.stop().catch(() => undefined);
      process.exit(code);
    })();
    return stopping;
  };
  // Ctrl-C reaches the whole process group; the parent going away, too.
  process.once("SIGINT", () => void stop(130));
  process.once("SIGTERM", () => void stop(143));
  process.once("disconnect", () => void stop(1));

  await connectDB(database.uri, DB_NAME, 20_000);
  // As src/index.ts does: the app and its models after the database is up,
  // then the collections, their indexes and the GIN ones.
  const { app } = await import("../src/app.js");
  await prepareIndexes(database.postgresUrl);
  const { forgetVideoLists } =
    await import("../src/services/videoListCache.service.js");
  const { User } = await import("../src/models/user.model.js");
  const { Video } = await import("../src/models/video.model.js");
  const { Comment } = await import("../src/models/comment.model.js");
  const { seedId } = await import("../scripts/seed/network.js");
  const { courseBaseline } = await bareApps();

  servers.push(
    await listen(app),
    // The same app; each request first empties its list cache, as a video
    // write does, so a list request on this port is always a miss.
    await listen((req, res) => {
      forgetVideoLists();
      app(req, res);
    }),
    await listen(courseBaseline())
  );
  const [appPort, uncachedPort, baselinePort] = servers.map(portOf);

  // The seeded ids are a function of the index (scripts/seed/network.ts): the
  // same video and comment at every size, looked up by _id.
  const pick = async (username: string): Promise<Picked> => {
    const user = await User.findOne({ username }, { _id: 1 }).lean();
    if (!user) throw new Error(`${username} is not in the database`);
    const userId = String(user._id);
    let video: { _id: unknown; owner: unknown } | undefined;
    for (let i = 0; i < 100 && video === undefined; i++) {
      const found = await Video.findById(seedId("videos", i), {
        owner: 1,
        isPublished: 1,
      }).lean();
      if (found?.isPublished && String(found.owner) !== userId) video = found;
    }
    let commented: unknown;
    for (let i = 0; i < 100 && commented === undefined; i++) {
      const comment = await Comment.findById(seedId("comments", i), {
        video: 1,
      }).lean();
      if (!comment) continue;
      const target = await Video.findById(comment.video, {
        isPublished: 1,
      }).lean();
      if (target?.isPublished) commented = comment.video;
    }
    if (video === undefined || commented === undefined)
      throw new Error("no published seed video (or none with comments) found");
    return {
      type: "picked",
      userId,
      videoId: String(video._id),
      ownerId: String(video.owner),
      commentedVideoId: String(commented),
    };
  };

  process.on("message", (value: { type: string; username?: string }) => {
    if (value.type === "pick") {
      pick(value.username ?? SIGN_IN_AS).then(send, (error: unknown) => {
        console.error(error);
        void stop(1);
      });
    } else if (value.type === "forget") {
      // The seed writes past the app: no cached page may predate it.
      forgetVideoLists();
      send({ type: "done" });
    } else if (value.type === "stop") {
      void stop(0);
    }
  });
  send({
    type: "ready",
    ports: { app: appPort, uncached: uncachedPort, baseline: baselinePort },
    dbKind: database.kind,
    uri: database.uri,
    ...(database.postgresUrl !== undefined && {
      postgresUrl: database.postgresUrl,
    }),
  });
}

// ----------------------------------------------------------------- client ---

type Mode = "autocannon" | "sequential";
type Result = (Measure | SequentialMeasure) & {
  mode: Mode;
  /** A load run with too few answers, replaced by a sequential measure. */
  loadRun?: Result;
};

interface Route {
  key: string;
  label: string;
  /** Keyed pages: the 1.5x and 20 ms goals apply. */
  keyed: boolean;
  method?: "GET" | "POST";
  port: "app" | "uncached" | "baseline";
  path: string;
  /** Always sequential (uncached lists), else chosen from the first request. */
  sequentialOnly?: boolean;
}

interface SizeReport {
  videos: number;
  seconds: number;
  users: number;
  seedSeconds: number;
  routes: Record<string, Result>;
  rss: {
    apiMiB: number;
    /** VmRSS summed over FerretDB and every postgres process. */
    databaseMiB: number;
    /** The same processes' Pss: shared memory counted once. */
    databasePssMiB: number;
    databaseProcesses: Record<string, number>;
    /** Other processes below the server (tsx's esbuild), not counted. */
    otherProcesses: Record<string, number>;
  };
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "1000,100000" },
      seconds: { type: "string", default: "10" },
      connections: { type: "string", default: "20" },
      "deadline-minutes": { type: "string", default: "40" },
    },
  });
  const sizes = values.sizes.split(",").map((size) => Number(size.trim()));
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const deadlineMinutes = Number(values["deadline-minutes"]);
  if (
    sizes.length === 0 ||
    sizes.some((size) => !Number.isInteger(size) || size < 1)
  )
    throw new Error("--sizes: whole numbers of videos, comma-separated");
  if (!(seconds > 0)) throw new Error("--seconds: a positive number");
  if (!Number.isInteger(connections) || connections < 1)
    throw new Error("--connections: a whole number from 1");
  if (!(deadlineMinutes > 0))
    throw new Error("--deadline-minutes: a positive number");
  return {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    seconds,
    connections,
    deadlineMs: deadlineMinutes * 60_000,
  };
}

/** The users the seed makes for `videos` when --users is not given. */
const seedUsers = (videos: number) => Math.max(3, Math.ceil(videos / 50));

const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;

const DATABASE_COMMANDS = new Set(["ferretdb", "postgres"]);

/**
 * The RSS of the API process and of its database: FerretDB and the
 * postgres processes below the server process.
 */
function rssOf(serverPid: number): SizeReport["rss"] {
  const databaseProcesses: Record<string, number> = {};
  const otherProcesses: Record<string, number> = {};
  let rss = 0;
  let pss = 0;
  for (const pid of descendants(serverPid)) {
    const name = commandOf(pid) || "?";
    const counts = DATABASE_COMMANDS.has(name)
      ? databaseProcesses
      : otherProcesses;
    counts[name] = (counts[name] ?? 0) + 1;
    if (counts === databaseProcesses) {
      rss += rssKiB(pid);
      pss += pssKiB(pid);
    }
  }
  return {
    apiMiB: mib(rssKiB(serverPid)),
    databaseMiB: mib(rss),
    databasePssMiB: mib(pss),
    databaseProcesses,
    otherProcesses,
  };
}

/** A measure with no 2xx answer has no latency to compare. */
const answered = (result: Result) =>
  result.mode === "sequential"
    ? (result as SequentialMeasure).requests > result.non2xx
    : result.reqPerSec > 0;

function routesFor(picked: Picked, username: string): Route[] {
  const list = (query: string) => `/api/v1/videos?${query}`;
  const lists: [string, string, string][] = [
    [
      "ownerVideos",
      "owner's videos `GET /videos?userId=`",
      list(`userId=${picked.ownerId}`),
    ],
    ...SORTS.map((sortBy): [string, string, string] => [
      `list_${sortBy}`,
      `global list, sortBy=${sortBy}, page 1`,
      list(`page=1&limit=10&sortBy=${sortBy}`),
    ]),
    [
      "list_deep",
      `global list, page ${DEEP_PAGE}`,
      list(`page=${DEEP_PAGE}&limit=10`),
    ],
    [
      "list_search",
      `search \`query=${SEARCH_WORD}\`, page 1`,
      list(`page=1&limit=10&query=${SEARCH_WORD}`),
    ],
    [
      "list_searchCommon",
      `search \`query=${COMMON_WORD}\` (a common word), page 1`,
      list(`page=1&limit=10&query=${COMMON_WORD}`),
    ],
  ];
  return [
    {
      key: "baseline",
      label: "course baseline (verify + user by `_id`)",
      keyed: false,
      port: "baseline",
      path: "/",
    },
    {
      key: "currentUser",
      label: "current user `GET /users/current-user`",
      keyed: true,
      port: "app",
      path: "/api/v1/users/current-user",
    },
    {
      key: "watch",
      label: "watch `GET /videos/:videoId`",
      keyed: true,
      port: "app",
      path: `/api/v1/videos/${picked.videoId}`,
    },
    {
      key: "channel",
      label: "channel `GET /users/c/:username`",
      keyed: true,
      port: "app",
      path: `/api/v1/users/c/${username}`,
    },
    {
      key: "comments",
      label: "comments `GET /comments/:videoId`",
      keyed: true,
      port: "app",
      path: `/api/v1/comments/${picked.commentedVideoId}`,
    },
    {
      key: "likedVideos",
      label: "liked videos `GET /likes/videos`",
      keyed: true,
      port: "app",
      path: "/api/v1/likes/videos",
    },
    {
      key: "dashboard",
      label: "dashboard `GET /dashboard/stats`",
      keyed: true,
      port: "app",
      path: "/api/v1/dashboard/stats",
    },
    {
      key: "tweets",
      label: "a user's tweets `GET /tweets/user/:userId`",
      keyed: true,
      port: "app",
      path: `/api/v1/tweets/user/${picked.ownerId}`,
    },
    {
      key: "history",
      label: "watch history `GET /users/history`",
      keyed: true,
      port: "app",
      path: "/api/v1/users/history",
    },
    {
      key: "subscribers",
      label: "a channel's subscribers `GET /subscriptions/c/:channelId`",
      keyed: true,
      port: "app",
      path: `/api/v1/subscriptions/c/${picked.ownerId}`,
    },
    {
      key: "subscribedTo",
      label: "channels followed `GET /subscriptions/u/:subscriberId`",
      keyed: true,
      port: "app",
      path: `/api/v1/subscriptions/u/${picked.userId}`,
    },
    // One request at a time: work that grows with the offset.
    {
      key: "list_offset50000",
      label: `global list, page ${OFFSET_PAGE} (offset 50,000), uncached`,
      keyed: false,
      port: "uncached",
      path: list(`page=${OFFSET_PAGE}&limit=10`),
      sequentialOnly: true,
    },
    {
      key: "list_searchCommon_sequential",
      label: `search \`query=${COMMON_WORD}\`, uncached, one at a time`,
      keyed: false,
      port: "uncached",
      path: list(`page=1&limit=10&query=${COMMON_WORD}`),
      sequentialOnly: true,
    },
    // Each list uncached (a miss on every request), then cached (a repeat);
    // an uncached list whose first request is slow is measured sequentially.
    ...lists.flatMap(([key, label, url]): Route[] => [
      {
        key: `${key}_uncached`,
        label: `${label}, uncached`,
        keyed: true,
        port: "uncached",
        path: url,
      },
      {
        key: `${key}_cached`,
        label: `${label}, cached`,
        keyed: false,
        port: "app",
        path: url,
      },
    ]),
    // Last: the only write among them.
    {
      key: "likeToggle",
      label: "like toggle `POST /likes/toggle/v/:videoId`",
      keyed: true,
      method: "POST",
      port: "app",
      path: `/api/v1/likes/toggle/v/${picked.videoId}`,
    },
  ];
}

/** Runs scripts/seed.ts against the bench's database, from core 1. */
async function seed(
  videos: number,
  ready: Ready,
  work: string,
  track: (child: ChildProcess | undefined) => void
): Promise<number> {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MONGODB_URI: ready.uri,
    DB_NAME,
    UPLOAD_DIR: path.join(work, "uploads"),
    UPLOAD_TEMP_DIR: path.join(work, "temp"),
    DATA_DIR: path.join(work, "seed-data"),
    LOG_LEVEL: "silent",
  };
  if (ready.postgresUrl !== undefined)
    env.DB_POSTGRESQL_URL = ready.postgresUrl;
  for (const name of Object.keys(env))
    if (name.startsWith("CLOUDINARY_")) delete env[name];
  const script = fileURLToPath(new URL("../scripts/seed.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", script, "--videos", String(videos)],
    { env, stdio: ["ignore", "pipe", "inherit"] }
  );
  track(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2_000);
  });
  const [code] = (await once(child, "exit")) as [number | null];
  track(undefined);
  if (code !== 0)
    throw new Error(`the seed exited with ${code}: ${output.trim()}`);
  const last = output.trim().split("\n").at(-1) ?? "";
  console.error(`scale bench:   ${last}`);
  return Math.round((performance.now() - started) / 100) / 10;
}

async function signIn(appPort: number, username: string): Promise<string> {
  const { SEED_PASSWORD } = await import("../scripts/seed/network.js");
  const response = await fetch(
    `http://127.0.0.1:${appPort}/api/v1/users/login`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password: SEED_PASSWORD }),
    }
  );
  const body = (await response.json()) as {
    data?: { accessToken?: string };
  };
  const token = body.data?.accessToken;
  if (response.status !== 200 || token === undefined)
    throw new Error(`signing in as ${username} answered ${response.status}`);
  return `Bearer ${token}`;
}

const ratio = (a: number, b: number) =>
  b > 0 ? Math.round((a / b) * 100) / 100 : null;

/** Largest size's p50 over the smallest's, when both were measured alike. */
function p50Growth(reports: SizeReport[], key: string): number | null {
  const small = reports[0]?.routes[key];
  const large = reports.at(-1)?.routes[key];
  if (!small || !large || small.mode !== large.mode) return null;
  return ratio(large.p50Ms, small.p50Ms);
}

interface Goal {
  goal: string;
  value: string;
  met: boolean;
}

function goals(reports: SizeReport[], routes: Route[]): Goal[] {
  const small = reports[0] as SizeReport;
  const large = reports.at(-1) as SizeReport;
  const out: Goal[] = [];
  const at = `at ${large.videos}`;
  for (const route of routes.filter((r) => r.keyed)) {
    const now = large.routes[route.key];
    const before = small.routes[route.key];
    if (!now || !before) continue;
    const growth = ratio(now.p50Ms, before.p50Ms);
    // A p50 under load and one of sequential requests are not comparable.
    const sameMode = now.mode === before.mode;
    if (reports.length > 1)
      out.push({
        goal: `${route.label}: p50 ${at} within 1.5x of ${small.videos}`,
        value: sameMode
          ? `${growth ?? "n/a"}x (${before.p50Ms} -> ${now.p50Ms} ms)`
          : `not comparable: ${before.mode} ${before.p50Ms} ms -> ${now.mode} ${now.p50Ms} ms`,
        met:
          sameMode &&
          growth !== null &&
          growth <= 1.5 &&
          answered(now) &&
          answered(before) &&
          now.non2xx === 0,
      });
    out.push({
      goal: `${route.label}: p50 ${at} under 20 ms`,
      value: answered(now) ? `${now.p50Ms} ms` : "no answer",
      met: answered(now) && now.p50Ms < 20 && now.non2xx === 0,
    });
  }
  for (const sortBy of SORTS) {
    const cached = large.routes[`list_${sortBy}_cached`];
    if (!cached) continue;
    out.push({
      goal: `global list sortBy=${sortBy} page 1, cached: p50 ${at} under 20 ms`,
      value: answered(cached) ? `${cached.p50Ms} ms` : "no answer",
      met: answered(cached) && cached.p50Ms < 20 && cached.non2xx === 0,
    });
  }
  for (const key of ["list_offset50000", "list_searchCommon_sequential"]) {
    const result = large.routes[key];
    const route = routes.find((r) => r.key === key);
    if (!result || !route) continue;
    out.push({
      goal: `${route.label}: p50 ${at} under 50 ms`,
      value: answered(result) ? `${result.p50Ms} ms` : "no answer",
      met: answered(result) && result.p50Ms < 50 && result.non2xx === 0,
    });
  }
  const baseline = large.routes.baseline;
  const currentUser = large.routes.currentUser;
  const watch = large.routes.watch;
  if (baseline && currentUser) {
    const times = ratio(currentUser.reqPerSec, baseline.reqPerSec);
    out.push({
      goal: `current user req/s ${at} >= 5x the course baseline`,
      value: `${times ?? "n/a"}x (${currentUser.reqPerSec} vs ${baseline.reqPerSec})`,
      met: times !== null && times >= 5,
    });
  }
  if (baseline && watch) {
    const times = ratio(watch.reqPerSec, baseline.reqPerSec);
    out.push({
      goal: `watch req/s ${at} >= 1x the course baseline`,
      value: `${times ?? "n/a"}x (${watch.reqPerSec} vs ${baseline.reqPerSec})`,
      met: times !== null && times >= 1,
    });
  }
  out.push({
    goal: `API RSS ${at} under 200 MiB`,
    value: `${large.rss.apiMiB} MiB`,
    met: large.rss.apiMiB < 200,
  });
  return out;
}

function markdown(
  reports: SizeReport[],
  routes: Route[],
  goalList: Goal[]
): string {
  const sizes = reports.map((report) => report.videos);
  const small = reports[0] as SizeReport;
  const large = reports.at(-1) as SizeReport;
  const lines: string[] = [];
  const row = (cells: (string | number)[]) =>
    lines.push(`| ${cells.join(" | ")} |`);
  const header = [
    "route",
    ...sizes.flatMap((size) => [
      `p50 ms @${size}`,
      `p99 ms @${size}`,
      `req/s @${size}`,
      `non-2xx @${size}`,
    ]),
    ...(reports.length > 1 ? [`p50 ${large.videos}/${small.videos}`] : []),
  ];
  row(header);
  row(header.map(() => "---"));
  for (const route of routes) {
    const cells: (string | number)[] = [route.label];
    for (const report of reports) {
      const result = report.routes[route.key];
      if (!result) {
        cells.push("", "", "", "");
        continue;
      }
      const loadAnswers =
        result.loadRun === undefined
          ? ""
          : `; load run ${Math.round(result.loadRun.reqPerSec * report.seconds)} answers`;
      const mark =
        result.mode === "sequential"
          ? ` (seq, ${(result as SequentialMeasure).requests}${loadAnswers})`
          : "";
      const p99 =
        result.mode === "sequential"
          ? `${(result as SequentialMeasure).maxMs} (max)`
          : result.p99Ms;
      cells.push(
        `${result.p50Ms}${mark}`,
        p99,
        result.reqPerSec,
        result.non2xx
      );
    }
    if (reports.length > 1) {
      const growth = p50Growth(reports, route.key);
      cells.push(growth === null ? "n/a" : `${growth}x`);
    }
    row(cells);
  }
  lines.push(
    "",
    "(seq, n): n sequential requests on one connection after a warm-up (the route's first request, or one more request); p99 is then the max and req/s is n over their total time. (seq, n; load run k answers): the load run counted fewer than " +
      `${MIN_ANSWERS} answers in its window and was replaced by sequential requests.`,
    ""
  );
  row([
    "videos",
    "users",
    "seed s",
    "API RSS MiB",
    "database RSS MiB (sum)",
    "database Pss MiB",
  ]);
  row(["---", "---", "---", "---", "---", "---"]);
  for (const report of reports)
    row([
      report.videos,
      report.users,
      report.seedSeconds,
      report.rss.apiMiB,
      `${report.rss.databaseMiB} (${Object.entries(report.rss.databaseProcesses)
        .map(([name, count]) => `${name} x${count}`)
        .join(", ")})`,
      report.rss.databasePssMiB,
    ]);
  lines.push("");
  row(["goal", "value", "met"]);
  row(["---", "---", "---"]);
  for (const goal of goalList)
    row([goal.goal, goal.value, goal.met ? "met" : "**missed**"]);
  return lines.join("\n");
}

async function measure(): Promise<void> {
  const options = parseOptions();
  const startedAt = new Date();
  const work = mkdtempSync(path.join(tmpdir(), "videotube-bench-scale-"));
  // mkdtemp makes it 0700; the embedded PostgreSQL runs as `postgres` under root.
  chmodSync(work, 0o755);
  // Before this process is pinned to one core.
  const cores = availableParallelism();
  const pinned = canPin();
  const child = spawnServer(fileURLToPath(import.meta.url), [work], pinned);
  const serverPid = child.pid as number;
  let seeding: ChildProcess | undefined;
  // The server's tree, kept up to date: after it dies its orphans are no
  // longer below it.
  let known = new Set<number>();
  const remember = () => {
    for (const pid of descendants(serverPid)) known.add(pid);
    if (seeding?.pid !== undefined) known.add(seeding.pid);
  };
  const watcher = setInterval(remember, 1_000);
  watcher.unref();

  let cleaning: Promise<void> | undefined;
  const cleanUp = () => {
    cleaning ??= (async () => {
      clearInterval(watcher);
      remember();
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({ type: "stop" });
        await Promise.race([once(child, "exit"), sleep(15_000)]);
      }
      await killAll([serverPid, ...known]);
      known = new Set();
      rmSync(work, { recursive: true, force: true });
    })();
    return cleaning;
  };
  // Last resort if this process exits some other way.
  process.once("exit", () => {
    killAllNow([serverPid, ...known]);
    rmSync(work, { recursive: true, force: true });
  });

  const reports: SizeReport[] = [];
  let routes: Route[] = [];
  const print = (complete: boolean) => {
    if (reports.length === 0) return;
    const goalList = goals(reports, routes);
    process.stdout.write(
      `\n## Scale run, ${startedAt.toISOString()}${complete ? "" : " (incomplete)"}\n\n` +
        markdown(reports, routes, goalList) +
        "\n\n"
    );
    process.stdout.write(
      JSON.stringify(
        {
          machine: {
            cores,
            node: process.version,
            pinned: pinned
              ? "server and its database on core 0, autocannon, seed and sequential requests on core 1 (taskset)"
              : "not pinned",
            database: dbKind,
            connections: options.connections,
            seconds: options.seconds,
            warmupSeconds: WARMUP_SECONDS,
            listCacheTtlMs: BENCH_LIST_CACHE_TTL_MS,
            signedInAs: SIGN_IN_AS,
          },
          startedAt: startedAt.toISOString(),
          complete,
          sizes: reports,
          p50Growth:
            reports.length > 1
              ? Object.fromEntries(
                  routes.map((route) => [
                    route.key,
                    p50Growth(reports, route.key),
                  ])
                )
              : undefined,
          goals: goalList,
        },
        null,
        2
      ) + "\n"
    );
  };

  let dbKind = "";
  const stopWith = (why: string, code: number) => {
    console.error(`scale bench: ${why}, stopping`);
    print(false);
    void cleanUp().finally(() => process.exit(code));
  };
  const deadline = setTimeout(
    () => stopWith(`over ${options.deadlineMs / 60_000} min`, 1),
    options.deadlineMs
  );
  deadline.unref();
  process.once("SIGINT", () => stopWith("interrupted", 130));
  process.once("SIGTERM", () => stopWith("terminated", 143));

  const step = (line: string) => console.error(`scale bench: ${line}`);
  const runStarted = performance.now();
  try {
    const ready = await message<Ready>(child, "ready");
    dbKind = ready.dbKind;
    remember();
    step(`database ${ready.dbKind}, pinned: ${pinned}`);
    const base = (port: Route["port"]) =>
      `http://127.0.0.1:${ready.ports[port]}`;

    for (const videos of options.sizes) {
      step(`seeding to ${videos} videos`);
      const seedSeconds = await seed(videos, ready, work, (c) => {
        seeding = c;
      });
      child.send({ type: "forget" });
      await message(child, "done");
      const bearer = await signIn(ready.ports.app, SIGN_IN_AS);
      child.send({ type: "pick", username: SIGN_IN_AS });
      const picked = await message<Picked>(child, "picked");
      routes = routesFor(picked, SIGN_IN_AS);
      const report: SizeReport = {
        videos,
        seconds: options.seconds,
        users: seedUsers(videos),
        seedSeconds,
        routes: {},
        rss: {
          apiMiB: 0,
          databaseMiB: 0,
          databasePssMiB: 0,
          databaseProcesses: {},
          otherProcesses: {},
        },
      };
      reports.push(report);
      const headers = { authorization: bearer };

      for (const route of routes) {
        const url = base(route.port) + route.path;
        const method = route.method ?? "GET";
        const slowMeasure = (warmup: number) =>
          sequential(
            url,
            { method, headers },
            {
              warmup,
              minRequests: SEQUENTIAL_MIN,
              seconds: options.seconds,
              budgetMs: SEQUENTIAL_BUDGET_MS,
            }
          );
        let result: Result;
        if (route.sequentialOnly) {
          step(`${videos}: ${route.label} (sequential)`);
          // One warm-up request, not counted.
          result = { ...(await slowMeasure(1)), mode: "sequential" };
        } else {
          // The first request: a check, a warm-up, and for cached lists the
          // fill of the cache; its time chooses the measure.
          const started = performance.now();
          const first = await fetch(url, {
            method,
            headers,
            signal: AbortSignal.timeout(SEQUENTIAL_BUDGET_MS),
          });
          await first.arrayBuffer();
          const firstMs = performance.now() - started;
          if (first.status < 200 || first.status >= 300)
            throw new Error(`${method} ${url} answered ${first.status}`);
          if (firstMs > SLOW_MS) {
            step(
              `${videos}: ${route.label} (sequential: first request ${Math.round(firstMs)} ms)`
            );
            result = { ...(await slowMeasure(0)), mode: "sequential" };
          } else {
            step(`${videos}: ${route.label}`);
            const loaded: Result = {
              ...(await cannon(
                {
                  url,
                  method,
                  headers,
                  connections: options.connections,
                  timeout: AUTOCANNON_TIMEOUT_S,
                },
                { seconds: options.seconds }
              )),
              mode: "autocannon",
            };
            // Requests cut off at the end still run on the server's one core:
            // beyond the 1.5 s pause, give them up to their p99 under load.
            const drainMore = Math.min(loaded.p99Ms, MAX_DRAIN_MS) - DRAIN_MS;
            if (drainMore > 0) await sleep(drainMore);
            const answers = Math.round(loaded.reqPerSec * options.seconds);
            if (answers < MIN_ANSWERS) {
              step(
                `${videos}: ${route.label} (sequential: the load run counted ${answers} answers)`
              );
              // The warm-up request waits behind what the load run left.
              result = {
                ...(await slowMeasure(1)),
                mode: "sequential",
                loadRun: loaded,
              };
            } else result = loaded;
          }
        }
        report.routes[route.key] = result;
        if (result.non2xx > 0 || result.errors > 0)
          step(
            `  non-2xx ${result.non2xx} ${JSON.stringify(result.statuses ?? {})}, errors ${result.errors}`
          );
      }
      remember();
      report.rss = rssOf(serverPid);
      step(
        `${videos}: API RSS ${report.rss.apiMiB} MiB, database ${report.rss.databaseMiB} MiB`
      );
    }
    clearTimeout(deadline);
    print(true);
    step(`done in ${Math.round((performance.now() - runStarted) / 1000)} s`);
  } catch (error) {
    clearTimeout(deadline);
    console.error(error);
    print(false);
    await cleanUp();
    process.exit(1);
  }
  await cleanUp();
  process.exit(0);
}

if (process.argv[2] === "serve") {
  await serve(process.argv[3] as string);
} else {
  await measure();
}
