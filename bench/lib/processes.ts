// The process side shared by the benches: a server child pinned to core 0
// with taskset and this process on core 1, messages from the child, the
// child's process tree (FerretDB, PostgreSQL) and its RSS, and stopping it
// all.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";

/** Linux, 2 cores or more and taskset: the server on 0, the client on 1. */
export function canPin(): boolean {
  return (
    process.platform === "linux" &&
    availableParallelism() >= 2 &&
    spawnSync("taskset", ["-V"], { stdio: "ignore" }).status === 0
  );
}

/**
 * Runs `file serve ...args` with this process's node and loaders in a child
 * (with IPC), pinned to core 0 when `pinned`; then pins this process, all its
 * threads, to core 1. What the child starts inherits core 0; what this
 * process starts afterwards inherits core 1.
 */
export function spawnServer(
  file: string,
  args: string[],
  pinned: boolean
): ChildProcess {
  const node = [process.execPath, ...process.execArgv, file, "serve", ...args];
  const [command, ...rest] = pinned ? ["taskset", "-c", "0", ...node] : node;
  const child = spawn(command as string, rest, {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  if (pinned) {
    spawnSync("taskset", ["-a", "-p", "-c", "1", String(process.pid)], {
      stdio: "ignore",
    });
  }
  return child;
}

/** The next message of `type` from `child`; rejects if it exits first. */
export function message<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (value: { type: string }) => {
      if (value.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(value as T);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`the server process exited (${code})`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Every process below `pid` (children, their children...), from /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** VmRSS of `pid` in KiB (0 when it is gone). */
export function rssKiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Pss of `pid` in KiB (shared pages split between their users; 0 when gone). */
export function pssKiB(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    return Number(/^Pss:\s+(\d+)\s+kB/m.exec(rollup)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The command name of `pid` ("" when it is gone). */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGKILL to each of `pids` still there; waits (bounded) until they are gone. */
export async function killAll(pids: number[], waitMs = 5_000): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + waitMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(50);
}

/** Synchronous last resort (on `exit`): SIGKILL to each of `pids`. */
export function killAllNow(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
