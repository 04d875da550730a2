// HTTP throughput of the real app against a bare Express 5 app with the same
// middleware chain, and login throughput against bcrypt's own compare
// ceiling, all measured in the same run and reported as ratios.
// Run: npx tsx bench/http.bench.ts
//
// The server (the bare apps, the real app, and the embedded database it
// starts) runs in a child process pinned to core 0 with taskset; autocannon
// runs in this process, pinned to core 1 (as shared/PERFORMANCE.md measured).
// Without taskset or with fewer than 2 cores, nothing is pinned and the
// summary says so.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import type Bcrypt from "bcrypt";
import type { Express, RequestHandler } from "express";

const CONNECTIONS = 50;
const WARMUP_SECONDS = 1;
const LOGIN_WARMUP_SECONDS = 3;
const DRAIN_MS = 1_500;
const SECONDS = 5;
const LOGIN_USERS = CONNECTIONS;
const PASSWORD = "correct horse battery";
// Light background traffic for "healthcheck p99 while logins saturate".
const PROBE_RATE = 100;
const PROBE_CONNECTIONS = 10;
// The whole bench stops by itself after this, whatever happens.
const DEADLINE_MS = 240_000;

interface Ready {
  type: "ready";
  ports: {
    bare: number;
    bareStatic: number;
    bareJwt: number;
    courseBaseline: number;
    app: number;
  };
  dbKind: string;
  bcryptCost: number;
  bearer: string;
  videoId: string;
  logins: string[];
}

interface Ceiling {
  type: "bcrypt";
  comparesPerSecond: number;
}

// ---------------------------------------------------------------- server ---

async function serve(work: string): Promise<void> {
  const send = (message: Ready | Ceiling) => process.send?.(message);
  process.env.NODE_ENV = "production";
  process.env.LOG_LEVEL = "silent";
  process.env.ACCESS_TOKEN_SECRET = randomHex();
  process.env.REFRESH_TOKEN_SECRET = randomHex();
  process.env.UPLOAD_TEMP_DIR = path.join(work, "temp");
  process.env.UPLOAD_DIR = path.join(work, "uploads");
  delete process.env.MONGODB_URI;
  // The login limiters count a login from its start until it answers 2xx,
  // and for the whole window when the client goes away first (each run's end
  // aborts up to CONNECTIONS logins queued behind bcrypt). With the defaults
  // (50 per IP) every login after the warm-up was a 429 (bench/README.md).
  // Raised here so that the run measures login work, not the limiter.
  process.env.LOGIN_FAILURES_PER_IP = "1000000";
  process.env.LOGIN_FAILURES_PER_ACCOUNT = "1000000";

  const { default: express } = await import("express");
  const { default: helmet } = await import("helmet");
  const { default: cors } = await import("cors");
  const { default: cookieParser } = await import("cookie-parser");
  const { default: jwt } = await import("jsonwebtoken");
  const { default: bcrypt } = await import("bcrypt");
  const { config } = await import("../src/config.js");
  const { BODY_LIMIT } = await import("../src/constants.js");
  const { publicFiles } =
    await import("../src/middlewares/static.middleware.js");
  const { startEmbeddedDatabase } = await import("../src/db/embedded.js");
  const { connectDB, disconnectDB, prepareIndexes } =
    await import("../src/db/index.js");

  const database = await startEmbeddedDatabase(path.join(work, "db"));
  await connectDB(database.uri, "videotube_bench", 20_000);
  // As src/index.ts does: the app and its models after the database is up.
  const { app } = await import("../src/app.js");
  const { User, BCRYPT_COST } = await import("../src/models/user.model.js");
  const { Video } = await import("../src/models/video.model.js");
  const { startSession } = await import("../src/services/session.service.js");

  // As src/index.ts does: the collections, their indexes and the GIN ones.
  await prepareIndexes(database.postgresUrl);

  // The baseline: src/app.ts's chain of helmet, cors, body parsers and
  // cookie-parser (no logger, no routers), optionally with the app's static
  // files (mounted where app.ts mounts them) or a JWT check after the chain
  // (where authenticate() runs).
  const bareApp = (
    staticFiles: RequestHandler[] = [],
    auth: RequestHandler[] = []
  ) => {
    const bare = express();
    bare.disable("x-powered-by");
    bare.use(helmet());
    bare.use(cors({ origin: config.cors.origins, credentials: true }));
    bare.use(express.json({ limit: BODY_LIMIT }));
    bare.use(express.urlencoded({ extended: true, limit: BODY_LIMIT }));
    for (const handler of staticFiles) bare.use(handler);
    bare.use(cookieParser());
    for (const handler of auth) bare.use(handler);
    bare.get("/", (_req, res) => {
      res.json({ status: "ok" });
    });
    return bare;
  };
  const verifyBearer: RequestHandler = (req, res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    try {
      jwt.verify(match?.[1] ?? "", config.auth.accessTokenKey, {
        algorithms: ["HS256"],
      });
      next();
    } catch {
      res.status(401).json({ status: "unauthorized" });
    }
  };

  // The course's own verifyJWT: verify, then read the user by _id on every
  // request (the baseline of the scale issue's current-user goal).
  const courseVerifyJwt: RequestHandler = (req, res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    let subject: string | undefined;
    try {
      const payload = jwt.verify(match?.[1] ?? "", config.auth.accessTokenKey, {
        algorithms: ["HS256"],
      });
      subject = typeof payload === "object" ? payload.sub : undefined;
    } catch {
      subject = undefined;
    }
    if (subject === undefined) {
      res.status(401).json({ status: "unauthorized" });
      return;
    }
    User.findById(subject, { password: 0 })
      .lean()
      .then((user) => {
        if (user) next();
        else res.status(401).json({ status: "unauthorized" });
      }, next);
  };

  const listen = async (handler: Express) => {
    const server = handler.listen(0, "127.0.0.1");
    await once(server, "listening");
    return server;
  };
  const servers = await Promise.all([
    listen(bareApp()),
    listen(
      bareApp(publicFiles(config.uploads.publicDir, config.uploads.tempDir))
    ),
    listen(bareApp([], [verifyBearer])),
    listen(bareApp([], [courseVerifyJwt])),
    listen(app),
  ]);
  const [bare, bareStatic, bareJwt, courseBaseline, real] = servers.map(
    (server) => (server.address() as AddressInfo).port
  );

  const create = (tag: string) =>
    User.create({
      username: `bench_${tag}`,
      email: `bench_${tag}@example.com`,
      fullName: `Bench ${tag}`,
      avatar: {
        url: `/uploads/image/${tag}.png`,
        publicId: `image/${tag}.png`,
      },
      password: PASSWORD,
    });
  const [owner, viewer, ...loginUsers] = await Promise.all(
    [
      "owner",
      "viewer",
      ...Array.from({ length: LOGIN_USERS }, (_, i) => `l${i}`),
    ].map(create)
  );
  const video = await Video.create({
    videoFile: { url: "/uploads/video/bench.mp4", publicId: "video/bench.mp4" },
    thumbnail: { url: "/uploads/image/bench.png", publicId: "image/bench.png" },
    owner: owner.id as string,
    title: "Bench video",
    description: "Watched by the HTTP bench",
    duration: 60,
    isPublished: true,
  });
  const { accessToken } = await startSession(viewer.id as string, "bench");

  process.on("message", (message: { type: string; seconds?: number }) => {
    if (message.type === "bcrypt") {
      void bcryptCeiling(bcrypt, BCRYPT_COST, message.seconds ?? SECONDS).then(
        (comparesPerSecond) => send({ type: "bcrypt", comparesPerSecond })
      );
    } else if (message.type === "stop") {
      void (async () => {
        for (const server of servers) server.closeAllConnections();
        await Promise.all(
          servers.map((server) => new Promise((done) => server.close(done)))
        );
        await disconnectDB();
        await database.stop();
        process.exit(0);
      })();
    }
  });
  send({
    type: "ready",
    ports: { bare, bareStatic, bareJwt, courseBaseline, app: real },
    dbKind: database.kind,
    bcryptCost: BCRYPT_COST,
    bearer: `Bearer ${accessToken}`,
    videoId: video.id as string,
    logins: loginUsers.map((user) =>
      JSON.stringify({ username: user.username, password: PASSWORD })
    ),
  });
}

const randomHex = () => randomBytes(32).toString("hex");

/**
 * bcrypt.compare at the app's cost with CONNECTIONS compares in flight, as
 * the login route sees them: completions inside the window, after a warm-up.
 */
async function bcryptCeiling(
  bcrypt: typeof Bcrypt,
  cost: number,
  seconds: number
): Promise<number> {
  const hash = await bcrypt.hash(PASSWORD, cost);
  const from = performance.now() + WARMUP_SECONDS * 1000;
  const to = from + seconds * 1000;
  let counted = 0;
  const worker = async () => {
    while (performance.now() < to) {
      await bcrypt.compare(PASSWORD, hash);
      const now = performance.now();
      if (now >= from && now <= to) counted++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return counted / seconds;
}

// ----------------------------------------------------------------- client ---

interface Measure {
  reqPerSec: number;
  p99Ms: number;
  p50Ms: number;
  non2xx: number;
  errors: number;
  statuses?: Record<string, number>;
}

/**
 * One autocannon run of `warmup + seconds`; only the answers that arrive in
 * the last `seconds` count, so the warm-up fills the server's queues on the
 * same connections (a separate warm-up run would leave its aborted requests,
 * logins queued behind bcrypt in particular, running into the measure).
 */
async function cannon(
  options: autocannon.Options,
  { warmup = WARMUP_SECONDS, seconds = SECONDS } = {}
): Promise<Measure> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const from = performance.now() + warmup * 1000;
  const to = from + seconds * 1000;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { ...options, duration: warmup + seconds },
      (error: unknown, done: autocannon.Result) =>
        error ? reject(error as Error) : resolve(done)
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      const now = performance.now();
      if (now < from || now > to) return;
      if (status >= 200 && status < 300) latencies.push(ms);
      else statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  // Requests cut off at the end still run on the server: let them finish.
  await sleep(DRAIN_MS);
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[
      Math.min(latencies.length - 1, Math.floor(q * latencies.length))
    ] ?? 0;
  const non2xx = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    reqPerSec: Math.round(latencies.length / seconds),
    p50Ms: Math.round(at(0.5) * 10) / 10,
    p99Ms: Math.round(at(0.99) * 10) / 10,
    non2xx,
    errors: result.errors,
    ...(non2xx > 0 ? { statuses } : {}),
  };
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

async function measure(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), "videotube-bench-http-"));
  // mkdtemp makes it 0700; the embedded PostgreSQL runs as `postgres` under root.
  chmodSync(work, 0o755);
  const cores = availableParallelism();
  const pinned =
    process.platform === "linux" &&
    cores >= 2 &&
    spawnSync("taskset", ["-V"], { stdio: "ignore" }).status === 0;
  const thisFile = fileURLToPath(import.meta.url);
  const node = [process.execPath, ...process.execArgv, thisFile, "serve", work];
  const [command, ...args] = pinned ? ["taskset", "-c", "0", ...node] : node;
  const child: ChildProcess = spawn(command as string, args, {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  if (pinned) {
    spawnSync("taskset", ["-a", "-p", "-c", "1", String(process.pid)], {
      stdio: "ignore",
    });
  }
  const cleanUp = () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(work, { recursive: true, force: true });
  };
  const deadline = setTimeout(() => {
    console.error(`http bench: over ${DEADLINE_MS / 1000} s, stopping`);
    cleanUp();
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();

  const message = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (value: { type: string }) => {
        if (value.type !== type) return;
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(value as T);
      };
      const onExit = (code: number | null) =>
        reject(new Error(`the server process exited (${code})`));
      child.on("message", onMessage);
      child.once("exit", onExit);
    });

  try {
    const ready = await message<Ready>("ready");
    const url = (port: number, route = "/") =>
      `http://127.0.0.1:${port}${route}`;
    const health = url(ready.ports.app, "/api/v1/healthcheck");
    const watch = url(ready.ports.app, `/api/v1/videos/${ready.videoId}`);
    const auth = { authorization: ready.bearer };
    for (const [target, headers] of [
      [health, {}],
      [watch, auth],
      [url(ready.ports.bareJwt), auth],
      [url(ready.ports.courseBaseline), auth],
      [url(ready.ports.app, "/api/v1/users/current-user"), auth],
    ] as const) {
      const response = await fetch(target, { headers });
      if (response.status !== 200) {
        throw new Error(`${target} answered ${response.status}, not 200`);
      }
    }
    const base = { connections: CONNECTIONS };
    const step = (name: string) => console.error(`http bench: ${name}`);

    step("bare Express 5 with the same chain");
    const bare = await cannon({ ...base, url: url(ready.ports.bare) });
    step("bare chain + the app's static-file mount");
    const bareStatic = await cannon({
      ...base,
      url: url(ready.ports.bareStatic),
    });
    step("bare chain + jsonwebtoken.verify (KeyObject)");
    const bareJwt = await cannon({
      ...base,
      url: url(ready.ports.bareJwt),
      headers: auth,
    });
    step("course baseline: jsonwebtoken.verify + the user read by _id");
    const course = await cannon({
      ...base,
      url: url(ready.ports.courseBaseline),
      headers: auth,
    });
    step("authenticated GET /api/v1/users/current-user");
    const currentUser = await cannon({
      ...base,
      url: url(ready.ports.app, "/api/v1/users/current-user"),
      headers: auth,
    });
    step("GET /api/v1/healthcheck");
    const healthcheck = await cannon({ ...base, url: health });
    step("authenticated GET /api/v1/videos/:id");
    const watched = await cannon({ ...base, url: watch, headers: auth });

    // Light traffic to the healthcheck, and to the bare chain with and
    // without the app's static-file mount (whose fs.stat runs on libuv's
    // thread pool, which bcrypt shares), alone and while logins saturate.
    const probeTargets = {
      healthcheck: health,
      bare: url(ready.ports.bare),
      bareStatic: url(ready.ports.bareStatic),
    };
    const probes = async (warmup: number) => {
      const results = await Promise.all(
        Object.values(probeTargets).map((target) =>
          cannon(
            {
              url: target,
              connections: PROBE_CONNECTIONS,
              overallRate: PROBE_RATE,
            },
            { warmup, seconds: SECONDS }
          )
        )
      );
      return Object.fromEntries(
        Object.keys(probeTargets).map((name, i) => [name, results[i]])
      ) as Record<keyof typeof probeTargets, Measure>;
    };
    step(`probes at ${PROBE_RATE} req/s each, alone`);
    const probesAlone = await probes(WARMUP_SECONDS);

    step(`bcrypt.compare ceiling, ${CONNECTIONS} in flight`);
    child.send({ type: "bcrypt", seconds: SECONDS });
    const ceiling = await message<Ceiling>("bcrypt");

    step("POST /api/v1/users/login, with the probes alongside");
    let turn = 0;
    const login: autocannon.Options = {
      ...base,
      url: url(ready.ports.app, "/api/v1/users/login"),
      requests: [
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          setupRequest: (request) => ({
            ...request,
            body: ready.logins[turn++ % ready.logins.length],
          }),
        },
      ],
    };
    const [logins, probesDuringLogins] = await Promise.all([
      cannon(login, { warmup: LOGIN_WARMUP_SECONDS }),
      probes(LOGIN_WARMUP_SECONDS),
    ]);

    const result = {
      machine: {
        cores,
        node: process.version,
        pinned: pinned
          ? "server and its database on core 0, autocannon on core 1 (taskset)"
          : "not pinned",
        database: ready.dbKind,
        connections: CONNECTIONS,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        loginWarmupSeconds: LOGIN_WARMUP_SECONDS,
      },
      bare,
      bareStatic: {
        ...bareStatic,
        vsBare: ratio(bareStatic.reqPerSec, bare.reqPerSec),
      },
      bareJwt: { ...bareJwt, vsBare: ratio(bareJwt.reqPerSec, bare.reqPerSec) },
      healthcheck: {
        ...healthcheck,
        vsBare: ratio(healthcheck.reqPerSec, bare.reqPerSec),
        goal: ">= 0.9",
      },
      courseBaseline: course,
      currentUser: {
        ...currentUser,
        vsCourseBaseline: ratio(currentUser.reqPerSec, course.reqPerSec),
        goal: ">= 5 (scale issue)",
      },
      watch: {
        ...watched,
        vsBareJwt: ratio(watched.reqPerSec, bareJwt.reqPerSec),
        vsCourseBaseline: ratio(watched.reqPerSec, course.reqPerSec),
        goal: ">= 1 of the course baseline (scale issue)",
      },
      login: {
        ...logins,
        bcryptCost: ready.bcryptCost,
        bcryptComparesPerSec: Math.round(ceiling.comparesPerSecond * 10) / 10,
        vsBcrypt: ratio(logins.reqPerSec, ceiling.comparesPerSecond),
        goal: ">= 0.9",
      },
      probes: {
        ratePerTarget: PROBE_RATE,
        connectionsPerTarget: PROBE_CONNECTIONS,
        alone: probesAlone,
        duringLogins: probesDuringLogins,
        goal: "healthcheck p99 < 50 ms during logins",
      },
    };
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    child.send({ type: "stop" });
    await Promise.race([once(child, "exit"), sleep(10_000)]);
  } finally {
    clearTimeout(deadline);
    cleanUp();
  }
}

if (process.argv[2] === "serve") {
  await serve(process.argv[3] as string);
} else {
  await measure();
}
