import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export interface RunningServer {
  child: ChildProcess;
  output: () => string;
  url: string;
  exit: Promise<number | null>;
}

/**
 * Starts `src/index.ts` in a process of its own, as `npm start` does.
 * `launcher`: a command that runs the server as its last arguments (e.g.
 * `unshare ... sh -c '...; exec "$@"' sh`), which must exec it, so the
 * child's pid is the server's. `nodeArgs`: more flags for node, after tsx's.
 */
export function startServer(
  env: Record<string, string | undefined>,
  launcher: string[] = [],
  nodeArgs: string[] = []
): Promise<RunningServer> {
  const node = [
    process.execPath,
    "--import",
    "tsx",
    ...nodeArgs,
    "src/index.ts",
  ];
  const [command = process.execPath, ...args] = [...launcher, ...node];
  const child = spawn(command, args, {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "development",
      LOG_LEVEL: "info",
      PORT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exit = once(child, "exit").then(([code]) => code as number | null);
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+),"msg":"VideoTube API listening/.exec(output);
      if (match) {
        resolve({
          child,
          output: () => output,
          url: `http://127.0.0.1:${match[1]}`,
          exit,
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exit.then((code) =>
      reject(new Error(`server exited with ${code}: ${output}`))
    );
  });
}

/** Stops a server started by startServer (if it started and still runs) and waits for its exit. */
export async function stopServer(server: RunningServer | undefined) {
  if (!server || server.child.exitCode !== null) return;
  server.child.kill("SIGTERM");
  await server.exit;
}

/** Starts the server expecting it to fail at start-up; resolves with its exit code and output. */
export async function runUntilExit(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: "info", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const [code] = await once(child, "exit");
  return { code: code as number | null, output };
}
