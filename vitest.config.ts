import { defineConfig } from "vitest/config";
import { filesExcludedOn, testEngine } from "./tests/setup/engines.js";

const FAULTS = "tests/faults/**/*.test.ts";
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
          exclude: [FAULTS, ...otherEngines],
          sequence: { groupOrder: 0 },
        },
      },
      // The fault files bound answers in time (2 s under a database outage,
      // 100 ms of event-loop delay): they run after the rest, one at a time,
      // so no other file's load is taken for the server's own.
      {
        extends: true,
        test: {
          name: "faults",
          include: [FAULTS],
          exclude: otherEngines,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
