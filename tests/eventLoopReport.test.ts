import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, vi } from "vitest";
import {
  startEventLoopReport,
  type EventLoopDelay,
} from "../src/utils/eventLoopReport.js";

/**
 * Keeps the loop busy for `ms` of CPU time, however busy the machine is, and
 * for `ms` on the clock too: the process's CPU time counts all its threads,
 * which can add up faster than the loop's own.
 */
function holdTheLoop(ms: number) {
  const started = process.cpuUsage();
  const startedAt = performance.now();
  for (;;) {
    const used = process.cpuUsage(started);
    const cpuMs = (used.user + used.system) / 1000;
    if (cpuMs >= ms && performance.now() - startedAt >= ms) return;
  }
}

describe("the event-loop delay report", () => {
  it("shows synchronous work that held the loop, with the CPU time it took, and stops when asked", async () => {
    const reports: EventLoopDelay[] = [];
    const stop = startEventLoopReport(100, (delay) => reports.push(delay));
    await sleep(150);
    holdTheLoop(200);
    await vi.waitUntil(() => reports.length >= 3, { timeout: 5_000 });
    stop();
    const reported = reports.length;
    await sleep(250);

    // The work was the process's own: its CPU time covers the delay.
    const worst = reports.reduce((a, b) => (b.maxMs > a.maxMs ? b : a));
    expect(worst.maxMs).toBeGreaterThanOrEqual(150);
    expect(
      worst.cpuMs + (reports[reports.indexOf(worst) - 1]?.cpuMs ?? 0)
    ).toBeGreaterThanOrEqual(150);
    expect(reports.length).toBe(reported);
  });
});
