import { randomBytes } from "node:crypto";
import { startRedis, type RunningRedis } from "./redis-server.js";
import {
  startServer,
  stopServer,
  type RunningServer,
} from "./server-process.js";

/**
 * JWT secrets every instance (and the test process that signs its users in
 * through the factories) shares: in development each process would make up
 * its own, and no instance would accept another's tokens. Set them in
 * process.env before importing anything from src.
 */
export const sharedSecrets = () => ({
  ACCESS_TOKEN_SECRET: randomBytes(32).toString("hex"),
  REFRESH_TOKEN_SECRET: randomBytes(32).toString("hex"),
});

export interface Instances {
  /** Two API processes on one database and one upload folder. */
  servers: [RunningServer, RunningServer];
  redis: RunningRedis | undefined;
  stop: () => Promise<void>;
}

/**
 * Two `src/index.ts` processes as behind a load balancer: the database name,
 * the upload folder (a shared volume) and the secrets come from this test
 * file's environment (tests/setup/per-file.ts), Redis is started when asked.
 */
export async function startInstances(
  env: Record<string, string>,
  { withRedis }: { withRedis: boolean }
): Promise<Instances> {
  const redis = withRedis ? await startRedis() : undefined;
  const shared = { ...env, REDIS_URL: redis?.url ?? "" };
  const started = await Promise.allSettled([
    startServer(shared),
    startServer(shared),
  ]);
  const running = started.flatMap((outcome) =>
    outcome.status === "fulfilled" ? [outcome.value] : []
  );
  const stop = async () => {
    await Promise.all(running.map(stopServer));
    await redis?.stop();
  };
  const [first, second] = running;
  if (!first || !second) {
    await stop();
    const failure = started.find((outcome) => outcome.status === "rejected");
    throw failure?.reason;
  }
  return { servers: [first, second], redis, stop };
}

export interface Answer<T> {
  status: number;
  data: T;
  message: string;
}

/**
 * One request to an instance, signed in with `bearer` when given: a JSON
 * body, or a multipart form when `body` is FormData.
 */
export async function callApi<T = unknown>(
  server: RunningServer,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  { bearer, body }: { bearer?: string; body?: unknown } = {}
): Promise<Answer<T>> {
  const json = body !== undefined && !(body instanceof FormData);
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
      ...(json ? { "Content-Type": "application/json" } : {}),
    },
    body: json ? JSON.stringify(body) : (body as FormData | undefined),
  });
  const text = await response.text();
  let envelope: { data?: T; message?: string };
  try {
    envelope = JSON.parse(text) as { data?: T; message?: string };
  } catch {
    throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  }
  return {
    status: response.status,
    data: envelope.data as T,
    message: envelope.message ?? "",
  };
}

/** Like callApi, but any status other than `expected` is an error. */
export async function expectCall<T = unknown>(
  expected: number,
  ...args: Parameters<typeof callApi>
): Promise<T> {
  const answer = await callApi<T>(...args);
  if (answer.status !== expected)
    throw new Error(
      `${args[1]} ${args[2]} on ${args[0].url} answered ${answer.status} (${answer.message}), expected ${expected}`
    );
  return answer.data;
}
