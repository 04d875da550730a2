import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { waitForPing } from "./net.js";

async function stopChild(child: ChildProcess, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Waits until the database server `child` answers a ping at `uri`, failing
 * with the end of its stderr if it exits first, and answers the function
 * that stops it. It never outlives a parent that crashed.
 */
export async function servingChild(
  child: ChildProcess,
  name: string,
  uri: string,
  timeoutMs: number
): Promise<() => Promise<void>> {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    await stopChild(child);
  };
  const exitedEarly = once(child, "exit").then(() => {
    throw new Error(`${name} exited at start-up: ${stderr.trim()}`);
  });
  exitedEarly.catch(() => undefined);
  try {
    await Promise.race([waitForPing(uri, timeoutMs), exitedEarly]);
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}
