import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { startServer, type RunningServer } from "./server-process.js";

/**
 * Runs the server in a mount namespace of its own (util-linux `unshare`,
 * unprivileged through a user namespace, or as root), after `setup`, a
 * shell script of mounts made there: a real small tmpfs or a real read-only
 * bind, without touching the machine's mounts (and as root, where chmod
 * stops no write). The namespace ends with the server.
 *
 * The server's view of its mounts stays reachable from the test as
 * `/proc/<pid>/root/<path>`.
 */
export function inMountNamespace(setup: string): string[] {
  return [
    "unshare",
    "--user",
    "--map-root-user",
    "--mount",
    "sh",
    "-ec",
    `${setup}\nexec "$@"`,
    "sh",
  ];
}

/**
 * Checks that this machine lets us make such a namespace (user namespaces
 * allowed, util-linux present), with the reason when it does not: the fault
 * tests then fail with that message rather than pass on a simulation.
 */
export function mountNamespaceProblem(setup: string): string | undefined {
  const [command = "unshare", ...args] = inMountNamespace(setup);
  const probe = spawnSync(command, [...args, "true"], { encoding: "utf8" });
  if (probe.status === 0) return undefined;
  return `cannot make a mount namespace here (${probe.error?.message ?? probe.stderr.trim()}); the fault tests need util-linux unshare and user namespaces (sysctl kernel.unprivileged_userns_clone=1, or Ubuntu's kernel.apparmor_restrict_unprivileged_userns=0)`;
}

/** A path as the server in its namespace sees it. */
export const seenBy = (pid: number, path: string) => `/proc/${pid}/root${path}`;

/** Quotes a path for the setup script. */
export const shellQuote = (value: string) =>
  `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * Starts the server (see startServer) in a mount namespace of its own where
 * `setup` has mounted over `mountPoint`, which is made first. Fails with the
 * reason when this machine cannot make the namespace.
 */
export async function startServerWithMounts(
  setup: string,
  mountPoint: string,
  env: Record<string, string | undefined>
): Promise<RunningServer> {
  mkdirSync(mountPoint, { recursive: true });
  const problem = mountNamespaceProblem(setup);
  if (problem) throw new Error(problem);
  return startServer(env, inMountNamespace(setup));
}
