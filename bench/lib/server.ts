// The server side shared by the benches: the environment the app runs under,
// and the bare Express apps it is compared with. Everything that reads the
// config is imported after setBenchEnv(), as src/index.ts imports the app
// after the database is up.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { RequestHandler } from "express";

export const randomHex = () => randomBytes(32).toString("hex");

/** The environment of a bench's server process, its files under `work`. */
export function setBenchEnv(work: string): void {
  process.env.NODE_ENV = "production";
  process.env.LOG_LEVEL = "silent";
  process.env.ACCESS_TOKEN_SECRET = randomHex();
  process.env.REFRESH_TOKEN_SECRET = randomHex();
  process.env.UPLOAD_TEMP_DIR = path.join(work, "temp");
  process.env.UPLOAD_DIR = path.join(work, "uploads");
  process.env.DATA_DIR = path.join(work, "db");
  delete process.env.MONGODB_URI;
  // The login limiters count a login from its start until it answers 2xx,
  // and for the whole window when the client goes away first (each run's end
  // aborts up to CONNECTIONS logins queued behind bcrypt). With the defaults
  // (50 per IP) every login after the warm-up was a 429 (bench/README.md).
  // Raised here so that the run measures login work, not the limiter.
  process.env.LOGIN_FAILURES_PER_IP = "1000000";
  process.env.LOGIN_FAILURES_PER_ACCOUNT = "1000000";
  // The per-class limits (1,200 reads a minute per account by default) would
  // answer most of a load run with 429: the runs measure the work behind them.
  for (const name of ["AUTH", "UPLOADS", "WRITES", "READS"])
    process.env[`RATE_LIMIT_${name}`] = "1000000000";
  process.env.REGISTRATIONS_PER_IP = "1000000000";
}

/** Serves `handler` (an Express app is one) on a free loopback port. */
export async function listen(handler: RequestListener): Promise<Server> {
  const server = createServer(handler).listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

export const portOf = (server: Server) =>
  (server.address() as AddressInfo).port;

export async function closeAll(servers: Server[]): Promise<void> {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(
    servers.map((server) => new Promise((done) => server.close(done)))
  );
}

/**
 * The bare apps, once the config is loaded and the database connected
 * (the course baseline reads users).
 */
export async function bareApps() {
  const { default: express } = await import("express");
  const { default: helmet } = await import("helmet");
  const { default: cors } = await import("cors");
  const { default: cookieParser } = await import("cookie-parser");
  const { default: jwt } = await import("jsonwebtoken");
  const { config } = await import("../../src/config.js");
  const { BODY_LIMIT } = await import("../../src/constants.js");
  const { User } = await import("../../src/models/user.model.js");

  // The baseline: src/app.ts's chain of helmet, cors, body parsers and
  // cookie-parser (no logger, no routers), optionally with the app's static
  // files (mounted where app.ts mounts them) or a JWT check after the chain
  // (where authenticate() runs).
  const bareApp = (
    staticFiles: RequestHandler[] = [],
    auth: RequestHandler[] = []
  ) => {
    const bare = express();
    bare.disable("x-powered-by");
    bare.use(helmet());
    bare.use(cors({ origin: config.cors.origins, credentials: true }));
    bare.use(express.json({ limit: BODY_LIMIT }));
    bare.use(express.urlencoded({ extended: true, limit: BODY_LIMIT }));
    for (const handler of staticFiles) bare.use(handler);
    bare.use(cookieParser());
    for (const handler of auth) bare.use(handler);
    bare.get("/", (_req, res) => {
      res.json({ status: "ok" });
    });
    return bare;
  };

  const bearerPayload = (authorization: string | undefined) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    try {
      return jwt.verify(match?.[1] ?? "", config.auth.accessTokenKey, {
        algorithms: ["HS256"],
      });
    } catch {
      return undefined;
    }
  };
  const bearerSubject = (authorization: string | undefined) => {
    const payload = bearerPayload(authorization);
    return typeof payload === "object" ? payload.sub : undefined;
  };

  const verifyBearer: RequestHandler = (req, res, next) => {
    if (bearerPayload(req.headers.authorization) === undefined)
      res.status(401).json({ status: "unauthorized" });
    else next();
  };

  // The course's own verifyJWT: verify, then read the user by _id on every
  // request (the baseline of the scale issue's current-user goal).
  const courseVerifyJwt: RequestHandler = (req, res, next) => {
    const subject = bearerSubject(req.headers.authorization);
    if (subject === undefined) {
      res.status(401).json({ status: "unauthorized" });
      return;
    }
    User.findById(subject, { password: 0 })
      .lean()
      .then((user) => {
        if (user) next();
        else res.status(401).json({ status: "unauthorized" });
      }, next);
  };

  return {
    bareApp,
    verifyBearer,
    courseVerifyJwt,
    courseBaseline: () => bareApp([], [courseVerifyJwt]),
  };
}
