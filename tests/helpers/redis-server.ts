import { spawn } from "node:child_process";
import { once } from "node:events";
import { freePort } from "../../src/db/embedded/net.js";

export interface RunningRedis {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * A throwaway redis-server on a free port (or on `port`, to bring one back
 * where its clients reconnect), keeping nothing on disk.
 */
export async function startRedis(port?: number): Promise<RunningRedis> {
  port ??= await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] }
  );
  let output = "";
  const exit = once(child, "exit");
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exit.then(() =>
      reject(new Error(`redis-server exited at start: ${output}`))
    );
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exit;
      }
    },
  };
}
