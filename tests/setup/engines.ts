/**
 * The database engine the suite runs on. TEST_ENGINE picks the one the setup
 * starts: `ferretdb` (the default, the API's own embedded FerretDB on
 * PostgreSQL) or `mongo-java-server`. With MONGODB_URI set nothing is started
 * and TEST_ENGINE says what that server is (`mongodb` unless told otherwise).
 */
export const TEST_ENGINES = [
  "ferretdb",
  "mongo-java-server",
  "mongodb",
] as const;
export type TestEngine = (typeof TEST_ENGINES)[number];

function isTestEngine(name: string): name is TestEngine {
  return (TEST_ENGINES as readonly string[]).includes(name);
}

export function testEngine(env: NodeJS.ProcessEnv = process.env): TestEngine {
  const name = env.TEST_ENGINE || (env.MONGODB_URI ? "mongodb" : "ferretdb");
  if (!isTestEngine(name))
    throw new Error(
      `TEST_ENGINE=${name}: expected one of ${TEST_ENGINES.join(", ")}`
    );
  if (name === "mongodb" && !env.MONGODB_URI)
    throw new Error("TEST_ENGINE=mongodb needs MONGODB_URI: none is started");
  return name;
}

/**
 * The test files that are about one engine's internals, and the engines they
 * run on. They are left out of the other engines' runs (rather than skipped
 * inside), so every run's report shows only tests that ran.
 */
const ENGINE_SPECIFIC_FILES: { file: string; runsOn: TestEngine[] }[] = [
  // Reads PostgreSQL's index-scan counters under FerretDB, or MongoDB's query
  // plans; mongo-java-server has neither (it scans every document).
  { file: "tests/engine.indexes.test.ts", runsOn: ["ferretdb", "mongodb"] },
  // Reads PostgreSQL's plans of the pages the embedded engine reads there.
  { file: "tests/engine.pages.plan.test.ts", runsOn: ["ferretdb"] },
  // Starts the API's own embedded FerretDB on PostgreSQL in a folder of its
  // own, whatever engine the suite runs on: the ferretdb run covers it, and
  // the mongo-java-server run is there for the code that depends on the engine.
  {
    file: "tests/embedded.database.test.ts",
    runsOn: ["ferretdb", "mongodb"],
  },
];

/** The files a run on `engine` leaves out. */
export function filesExcludedOn(engine: TestEngine): string[] {
  return ENGINE_SPECIFIC_FILES.filter(
    ({ runsOn }) => !runsOn.includes(engine)
  ).map(({ file }) => file);
}
