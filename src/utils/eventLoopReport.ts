import { monitorEventLoopDelay } from "node:perf_hooks";

export interface EventLoopDelay {
  /** The longest the loop was late to run a timer, in ms. */
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  /**
   * CPU time the process used in the interval (all its threads). A delay
   * longer than this was not the process's own work: it waited for a CPU
   * that other programs held.
   */
  cpuMs: number;
}

// The histogram samples every RESOLUTION_MS and records the whole time between
// two samples; what is beyond RESOLUTION_MS is how long the loop was held up.
const RESOLUTION_MS = 10;

const lateMs = (nanoseconds: number) =>
  Number.isFinite(nanoseconds)
    ? Math.max(0, Math.round(nanoseconds / 1e4 - RESOLUTION_MS * 100) / 100)
    : 0;

/**
 * Hands `report` how late the event loop was to run timers in each
 * `intervalMs` (worst, 99th percentile, mean), then starts afresh: a request
 * that does work proportional to its input on the loop shows here. Returns a
 * function that stops reporting.
 */
export function startEventLoopReport(
  intervalMs: number,
  report: (delay: EventLoopDelay) => void
): () => void {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let cpu = process.cpuUsage();
  const timer = setInterval(() => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    report({
      maxMs: lateMs(histogram.max),
      p99Ms: lateMs(histogram.percentile(99)),
      meanMs: lateMs(histogram.mean),
      cpuMs: Math.round((used.user + used.system) / 10) / 100,
    });
    histogram.reset();
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    histogram.disable();
  };
}
