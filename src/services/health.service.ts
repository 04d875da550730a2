import { isDatabaseUp } from "../db/index.js";

// The whole answer must come within a second, ping included.
const PING_TIMEOUT_MS = 800;

export interface Health {
  status: "ok" | "error";
  db: "up" | "down";
  uptime: number;
}

/** The service's health: whether the database answers a ping in time. */
export async function health(): Promise<Health> {
  const uptime = Math.round(process.uptime());
  return (await isDatabaseUp(PING_TIMEOUT_MS))
    ? { status: "ok", db: "up", uptime }
    : { status: "error", db: "down", uptime };
}
