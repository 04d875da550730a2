import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, vi } from "vitest";
import {
  startEventLoopReport,
  type EventLoopDelay,
} from "../src/utils/eventLoopReport.js";

function holdTheLoop(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe("the event-loop delay report", () => {
  it("shows synchronous work that held the loop, and stops when asked", async () => {
    const reports: EventLoopDelay[] = [];
    const stop = startEventLoopReport(100, (delay) => reports.push(delay));
    await sleep(150);
    holdTheLoop(200);
    await vi.waitUntil(() => reports.length >= 3, { timeout: 5_000 });
    stop();
    const reported = reports.length;
    await sleep(250);

    expect(
      Math.max(...reports.map((report) => report.maxMs))
    ).toBeGreaterThanOrEqual(150);
    expect(reports.length).toBe(reported);
  });
});
