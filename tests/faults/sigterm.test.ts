import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { config } from "../../src/config.js";
import { Video } from "../../src/models/video.model.js";
import { View } from "../../src/models/view.model.js";
import { WatchEntry } from "../../src/models/watchEntry.model.js";
import { createUser, createUsers, createVideo } from "../helpers/factories.js";
import { signInOn } from "../helpers/remote-user.js";
import { slowRequest } from "../helpers/slow-request.js";
import { startServer, type RunningServer } from "../helpers/server-process.js";
import {
  startTraffic,
  type Outcome,
  type TrafficStep,
} from "../helpers/traffic.js";

const DRAIN_TIMEOUT_MS = 5_000;
const WORKERS = 16;

let server: RunningServer;
let outcomes: Outcome[] = [];
let slowAnswers: { status: number; body: string }[] = [];
let exitCode: number | null = null;
let exitedAfterMs = 0;
let newConnectionError = "";
let sigtermAt = 0;
const watchedPairs = new Set<string>();

/** Resolves with the error code of a fresh TCP connection, or "connected". */
function tryConnect(baseUrl: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) =>
      resolve(error.code ?? String(error))
    );
  });
}

beforeAll(async () => {
  const owner = await createUser();
  const viewers = await createUsers(4);
  const videos = await Promise.all([1, 2, 3].map(() => createVideo(owner)));
  server = await startServer({
    NODE_ENV: "test",
    MONGODB_URI: inject("mongoUri"),
    DB_NAME: config.db.name,
    // Far beyond the test: only the shutdown can write the queued watches.
    WATCH_FLUSH_INTERVAL_MS: "3600000",
    SHUTDOWN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
  });
  const bearers = await Promise.all(
    viewers.map((viewer) => signInOn(server.url, viewer))
  );
  let turn = 0;
  const steps: TrafficStep[] = [
    {
      name: "watch a video",
      send: async (url) => {
        const viewer = turn % viewers.length;
        const video = videos[turn++ % videos.length];
        const response = await fetch(`${url}/api/v1/videos/${video?.id}`, {
          headers: { Authorization: bearers[viewer] as string },
        });
        if (response.status === 200)
          watchedPairs.add(`${video?.id}:${viewers[viewer]?.id}`);
        return response;
      },
    },
    { name: "list videos", send: (url) => fetch(`${url}/api/v1/videos`) },
    { name: "healthcheck", send: (url) => fetch(`${url}/api/v1/healthcheck`) },
  ];

  const traffic = startTraffic(server.url, steps, WORKERS);
  await sleep(1_000);
  const slow = [1, 2, 3].map(() => slowRequest(server.url));
  await Promise.all(slow.map(({ received }) => received));
  sigtermAt = Date.now();
  server.child.kill("SIGTERM");
  setTimeout(() => slow.forEach(({ sendBody }) => sendBody()), 500);
  await sleep(150);
  newConnectionError = await tryConnect(server.url);
  exitCode = await server.exit;
  exitedAfterMs = Date.now() - sigtermAt;
  slowAnswers = await Promise.all(slow.map(({ answer }) => answer));
  outcomes = await traffic.stop();
}, 60_000);

describe("F3: SIGTERM under load", () => {
  it("finishes the requests it was handling when the signal came", () => {
    expect(slowAnswers).toHaveLength(3);
    for (const { status, body } of slowAnswers) {
      expect(status, `${body} after exit in ${exitedAfterMs} ms`).not.toBe(0);
      // A POST to the healthcheck: the route's own answer (405), not a cut.
      expect(status).toBe(405);
      expect(JSON.parse(body)).toMatchObject({ statusCode: 405 });
    }
  });

  it("fails no request: each is answered, or refused before it was sent because the server had stopped listening", () => {
    const failed = outcomes.filter(
      ({ status, errorCode }) =>
        status >= 500 || (status === 0 && errorCode !== "ECONNREFUSED")
    );
    expect(
      failed.map(
        ({ name, status, errorCode }) => `${name} ${status || errorCode}`
      )
    ).toEqual([]);
    const answered = outcomes.filter(({ status }) => status === 200);
    expect(answered.length).toBeGreaterThan(WORKERS);
    // Some of the load came after the signal: it was refused, not dropped.
    expect(outcomes.some(({ startedAt }) => startedAt > sigtermAt)).toBe(true);
  });

  it("refuses new connections once the signal has come", () => {
    expect(newConnectionError).toBe("ECONNREFUSED");
  });

  it("exits 0 within the drain timeout", () => {
    expect(exitCode).toBe(0);
    expect(exitedAfterMs).toBeLessThan(DRAIN_TIMEOUT_MS);
    expect(server.output()).toContain('"msg":"stopped"');
  });

  it("writes every queued view and history entry before it exits", async () => {
    expect(watchedPairs.size).toBeGreaterThan(0);
    const views = await View.find({}, { video: 1, viewer: 1 }).lean();
    expect(
      new Set(views.map(({ video, viewer }) => `${video}:${viewer}`))
    ).toEqual(watchedPairs);
    const entries = await WatchEntry.find({}, { video: 1, user: 1 }).lean();
    expect(
      new Set(entries.map(({ video, user }) => `${video}:${user}`))
    ).toEqual(watchedPairs);
    for (const video of await Video.find({}).lean())
      expect(video.views).toBe(await View.countDocuments({ video: video._id }));
  });
});
