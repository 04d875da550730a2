import { defineConfig } from "vitest/config";
import { filesExcludedOn, testEngine } from "./tests/setup/engines.js";

// The files that bound time: the fault tests, and the event-loop report's
// own test (a held loop must show in its report, whatever runs beside it).
const TIMED = ["tests/faults/**/*.test.ts", "tests/eventLoopReport.test.ts"];
// Files about another engine's internals are not part of this engine's run.
const otherEngines = filesExcludedOn(testEngine());

export default defineConfig({
  test: {
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/per-file.ts"],
    // FerretDB and bcrypt are the slow parts; two workers fit the 2 cores.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
    projects: [
      {
        extends: true,
        test: {
          name: "api",
          include: ["tests/**/*.test.ts"],
          exclude: [...TIMED, ...otherEngines],
          sequence: { groupOrder: 0 },
        },
      },
      // The fault files bound answers in time (2 s under a database outage,
      // 100 ms of event-loop delay), and the event-loop report's test needs a
      // held loop to be the only thing it sees: they run after the rest, one
      // at a time, so no other file's load is taken for their own.
      {
        extends: true,
        test: {
          name: "faults",
          include: TIMED,
          exclude: otherEngines,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
