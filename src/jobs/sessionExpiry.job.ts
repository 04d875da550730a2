import { config } from "../config.js";
import { expireDocuments } from "../db/engine/index.js";
import { RotatedToken } from "../models/rotatedToken.model.js";
import { Session } from "../models/session.model.js";
import type { Job } from "./job.js";

let stops: (() => void)[] = [];

/**
 * Expired sessions and the rotated tokens that went with them are deleted
 * (an expired session is refused anyway: this only keeps the tables small).
 */
export const sessionExpiry: Job = {
  name: "session expiry",
  schedule: `a TTL index, or a sweep every ${config.auth.sessionSweepIntervalMs} ms where the engine has none`,
  async start() {
    const every = config.auth.sessionSweepIntervalMs;
    stops = await Promise.all([
      expireDocuments(Session, "expiresAt", every),
      expireDocuments(RotatedToken, "expiresAt", every),
    ]);
  },
  stop() {
    for (const stop of stops) stop();
    stops = [];
    return Promise.resolve();
  },
};
