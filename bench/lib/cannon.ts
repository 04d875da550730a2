// Load generation shared by the benches: autocannon runs whose warm-up is
// not counted, and sequential requests for routes too slow for a load run.
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";

export const WARMUP_SECONDS = 1;
export const DRAIN_MS = 1_500;

export interface Measure {
  reqPerSec: number;
  p99Ms: number;
  p50Ms: number;
  non2xx: number;
  errors: number;
  statuses?: Record<string, number>;
}

/** The `q` quantile of sorted latencies (0 when there are none). */
export const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

export const round1 = (ms: number) => Math.round(ms * 10) / 10;

/**
 * One autocannon run of `warmup + seconds`; only the answers that arrive in
 * the last `seconds` count, so the warm-up fills the server's queues on the
 * same connections (a separate warm-up run would leave its aborted requests,
 * logins queued behind bcrypt in particular, running into the measure).
 */
export async function cannon(
  options: autocannon.Options,
  { warmup = WARMUP_SECONDS, seconds = 5, drainMs = DRAIN_MS } = {}
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
  await sleep(drainMs);
  latencies.sort((a, b) => a - b);
  const non2xx = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    reqPerSec: Math.round(latencies.length / seconds),
    p50Ms: round1(quantile(latencies, 0.5)),
    p99Ms: round1(quantile(latencies, 0.99)),
    non2xx,
    errors: result.errors,
    ...(non2xx > 0 ? { statuses } : {}),
  };
}

export interface SequentialMeasure extends Measure {
  requests: number;
  maxMs: number;
}

/**
 * One request at a time on one connection: `warmup` requests not counted,
 * then requests until at least `minRequests` are done and `seconds` have
 * passed, or `budgetMs` has passed with at least one done. For routes whose
 * requests take seconds, where a load run would only queue them.
 */
export async function sequential(
  url: string,
  init: { method?: string; headers?: Record<string, string> },
  {
    warmup = 1,
    minRequests = 5,
    seconds = 5,
    budgetMs = 120_000,
    before,
  }: {
    warmup?: number;
    minRequests?: number;
    seconds?: number;
    budgetMs?: number;
    /** Runs before each request (not timed). */
    before?: () => Promise<void>;
  } = {}
): Promise<SequentialMeasure> {
  const once = async () => {
    await before?.();
    const started = performance.now();
    const response = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(budgetMs),
    });
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  };
  for (let i = 0; i < warmup; i++) await once();
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let done = 0;
  let busyMs = 0;
  const started = performance.now();
  for (;;) {
    const elapsed = performance.now() - started;
    if (done >= minRequests && elapsed >= seconds * 1000) break;
    if (done >= 1 && elapsed >= budgetMs) break;
    const { status, ms } = await once();
    done++;
    busyMs += ms;
    if (status >= 200 && status < 300) latencies.push(ms);
    else statuses[status] = (statuses[status] ?? 0) + 1;
  }
  latencies.sort((a, b) => a - b);
  const non2xx = done - latencies.length;
  return {
    // One connection: requests per second of request time.
    reqPerSec: round1(latencies.length / (busyMs / 1000)),
    p50Ms: round1(quantile(latencies, 0.5)),
    p99Ms: round1(quantile(latencies, 0.99)),
    maxMs: round1(latencies.at(-1) ?? 0),
    requests: done,
    non2xx,
    errors: 0,
    ...(non2xx > 0 ? { statuses } : {}),
  };
}
