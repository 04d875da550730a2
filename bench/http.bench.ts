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
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type autocannon from "autocannon";
import type Bcrypt from "bcrypt";
import { cannon as run, WARMUP_SECONDS, type Measure } from "./lib/cannon.js";
import {
  canPin,
  message as nextMessage,
  spawnServer,
} from "./lib/processes.js";
import {
  bareApps,
  closeAll,
  listen,
  portOf,
  setBenchEnv,
} from "./lib/server.js";
import { createBenchUser, createBenchVideo } from "./lib/records.js";

const CONNECTIONS = 50;
const LOGIN_WARMUP_SECONDS = 3;
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
  setBenchEnv(work);

  const { default: bcrypt } = await import("bcrypt");
  const { config } = await import("../src/config.js");
  const { publicFiles } =
    await import("../src/middlewares/static.middleware.js");
  const { startEmbeddedDatabase } = await import("../src/db/embedded/index.js");
  const { connectDB, disconnectDB, prepareIndexes } =
    await import("../src/db/index.js");

  const database = await startEmbeddedDatabase(path.join(work, "db"));
  await connectDB(database.uri, "videotube_bench", 20_000);
  // As src/index.ts does: the app and its models after the database is up.
  const { app } = await import("../src/app.js");
  const { BCRYPT_COST } = await import("../src/models/user.model.js");
  const { startSession } = await import("../src/services/session.service.js");

  // As src/index.ts does: the collections, their indexes and the GIN ones.
  await prepareIndexes(database.postgresUrl);

  const { bareApp, verifyBearer, courseBaseline } = await bareApps();
  const servers = await Promise.all([
    listen(bareApp()),
    listen(
      bareApp(publicFiles(config.uploads.publicDir, config.uploads.tempDir))
    ),
    listen(bareApp([], [verifyBearer])),
    listen(courseBaseline()),
    listen(app),
  ]);
  const [bare, bareStatic, bareJwt, coursePort, real] = servers.map(portOf);

  const create = (tag: string) => createBenchUser("bench", tag, PASSWORD);
  const [owner, viewer, ...loginUsers] = await Promise.all(
    [
      "owner",
      "viewer",
      ...Array.from({ length: LOGIN_USERS }, (_, i) => `l${i}`),
    ].map(create)
  );
  const video = await createBenchVideo(owner, "bench", {
    title: "Bench video",
    description: "Watched by the HTTP bench",
  });
  const { accessToken } = await startSession(viewer.id as string, "bench");

  process.on("message", (message: { type: string; seconds?: number }) => {
    if (message.type === "bcrypt") {
      void bcryptCeiling(bcrypt, BCRYPT_COST, message.seconds ?? SECONDS).then(
        (comparesPerSecond) => send({ type: "bcrypt", comparesPerSecond })
      );
    } else if (message.type === "stop") {
      void (async () => {
        await closeAll(servers);
        await disconnectDB();
        await database.stop();
        process.exit(0);
      })();
    }
  });
  send({
    type: "ready",
    ports: { bare, bareStatic, bareJwt, courseBaseline: coursePort, app: real },
    dbKind: database.kind,
    bcryptCost: BCRYPT_COST,
    bearer: `Bearer ${accessToken}`,
    videoId: video.id as string,
    logins: loginUsers.map((user) =>
      JSON.stringify({ username: user.username, password: PASSWORD })
    ),
  });
}

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

const cannon = (
  options: autocannon.Options,
  { warmup = WARMUP_SECONDS, seconds = SECONDS } = {}
) => run(options, { warmup, seconds });

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

async function measure(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), "videotube-bench-http-"));
  // mkdtemp makes it 0700; the embedded PostgreSQL runs as `postgres` under root.
  chmodSync(work, 0o755);
  const cores = availableParallelism();
  const pinned = canPin();
  const child: ChildProcess = spawnServer(
    fileURLToPath(import.meta.url),
    [work],
    pinned
  );
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

  const message = <T>(type: string) => nextMessage<T>(child, type);

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
