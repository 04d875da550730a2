import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { access, constants, readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const fuzzDir = path.join(root, "tests/fuzz");
const venv = path.join(root, ".tools/venv");
const st = path.join(venv, "bin/st");
/** The one pin of the fuzzer's version, shared with .ci/run. */
const requirements = path.join(fuzzDir, "requirements.txt");

const pinnedVersion = async () => {
  const pin = /^schemathesis==(\S+)$/m.exec(
    await readFile(requirements, "utf8")
  );
  if (!pin) throw new Error(`${requirements} pins no schemathesis version`);
  return pin[1] as string;
};

const installedVersion = async () => {
  try {
    await access(st, constants.X_OK);
    const { stdout } = await run(st, ["--version"]);
    return /(\d+\.\d+\.\d+)/.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
};

/**
 * The `st` command of the pinned schemathesis, installed into the git-ignored
 * .tools/venv as .ci/run does when it is missing, so `npm ci && npm test` is
 * enough on a fresh machine with python3.
 */
export async function ensureSchemathesis(): Promise<string> {
  const wanted = await pinnedVersion();
  if ((await installedVersion()) === wanted) return st;
  try {
    await run("python3", ["-m", "venv", venv]);
    await run(path.join(venv, "bin/pip"), [
      "install",
      "-q",
      "--disable-pip-version-check",
      "-r",
      requirements,
    ]);
  } catch (error) {
    throw new Error(
      `Installing schemathesis ${wanted} into ${venv} failed (needs python3 with venv and access to PyPI; .ci/run does the same): ${String(error)}`,
      { cause: error }
    );
  }
  const installed = await installedVersion();
  if (installed !== wanted)
    throw new Error(`schemathesis ${wanted} wanted, ${installed} installed`);
  return st;
}

export interface FuzzRun {
  /** A name for the run's report folder and messages. */
  name: string;
  /** The URL of the OpenAPI document; its `servers` entry is relative. */
  schemaUrl: string;
  headers?: Record<string, string>;
  checks: string[];
  maxExamples: number;
  seed: number;
  /** Extra `st run` options, e.g. operation filters. */
  options?: string[];
  reportDir: string;
}

export interface FuzzFailure {
  operation: string;
  check: string;
  title: string;
  message: string;
}

export interface FuzzSummary {
  name: string;
  /** HTTP requests sent and answered, from the report. */
  requests: number;
  /** "METHOD /path" of each operation that got a request. */
  operations: Set<string>;
  /** How many answers had each status class ("2xx", "4xx", ...). */
  statuses: Record<string, number>;
  failures: FuzzFailure[];
  /** Errors inside schemathesis (a case it could not run). */
  errors: string[];
  /** The console output, for a failure message. */
  output: string;
}

interface CheckRecord {
  name: string;
  status: string;
  failure_info?: {
    failure: { title: string; message: string; operation: string };
  };
}

interface ReportEvent {
  ScenarioFinished?: {
    recorder: {
      label: string;
      interactions?: Record<string, { response?: { status_code: number } }>;
      checks?: Record<string, CheckRecord[]>;
    };
  };
  NonFatalError?: { label: string; value: { type: string; message: string } };
  FatalError?: { exception: unknown };
  EngineFinished?: unknown;
}

/** Reads a run's NDJSON report: every event schemathesis recorded. */
export function summarize(
  name: string,
  ndjson: string,
  output: string
): FuzzSummary {
  const summary: FuzzSummary = {
    name,
    requests: 0,
    operations: new Set(),
    statuses: {},
    failures: [],
    errors: [],
    output,
  };
  let finished = false;
  for (const line of ndjson.split("\n")) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as ReportEvent;
    if (event.ScenarioFinished) {
      const {
        label,
        interactions = {},
        checks = {},
      } = event.ScenarioFinished.recorder;
      const sent = Object.keys(interactions).length;
      summary.requests += sent;
      for (const { response } of Object.values(interactions)) {
        const kind = response ? `${String(response.status_code)[0]}xx` : "none";
        summary.statuses[kind] = (summary.statuses[kind] ?? 0) + 1;
      }
      // Stateful scenarios are labelled by their links, not an operation.
      if (sent > 0 && /^[A-Z]+ \//.test(label)) summary.operations.add(label);
      for (const check of Object.values(checks).flat()) {
        if (check.status !== "failure" || !check.failure_info) continue;
        const { failure } = check.failure_info;
        summary.failures.push({
          operation: failure.operation,
          check: check.name,
          title: failure.title,
          message: failure.message,
        });
      }
    }
    if (event.NonFatalError)
      summary.errors.push(
        `${event.NonFatalError.label}: ${event.NonFatalError.value.type}: ${event.NonFatalError.value.message}`
      );
    if (event.FatalError)
      summary.errors.push(`fatal: ${JSON.stringify(event.FatalError)}`);
    if (event.EngineFinished) finished = true;
  }
  if (!finished) summary.errors.push("the run did not finish");
  return summary;
}

/** Runs `st run` once and reads its report. */
export async function runSchemathesis(
  command: string,
  fuzz: FuzzRun
): Promise<FuzzSummary> {
  const args = [
    "--config-file",
    path.join(fuzzDir, "schemathesis.toml"),
    "run",
    fuzz.schemaUrl,
    "--checks",
    fuzz.checks.join(","),
    "--max-examples",
    String(fuzz.maxExamples),
    "--seed",
    String(fuzz.seed),
    // One thread per run: Python 3.11's parser is not thread-safe (hypothesis
    // describes strategies with ast.parse), so runs go in parallel as processes.
    "--workers",
    "1",
    "--no-color",
    "--report",
    "ndjson",
    "--report-dir",
    fuzz.reportDir,
    ...Object.entries(fuzz.headers ?? {}).flatMap(([name, value]) => [
      "--header",
      `${name}: ${value}`,
    ]),
    ...(fuzz.options ?? []),
  ];
  const child = spawn(command, args, {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await once(child, "close");
  const reports = (await readdir(fuzz.reportDir)).filter((file) =>
    file.endsWith(".ndjson")
  );
  if (reports.length !== 1)
    throw new Error(
      `schemathesis run "${fuzz.name}" left ${reports.length} NDJSON reports:\n${output}`
    );
  const ndjson = await readFile(
    path.join(fuzz.reportDir, reports[0] as string),
    "utf8"
  );
  return summarize(fuzz.name, ndjson, output);
}
