import { randomUUID } from "node:crypto";
import cookieParser from "cookie-parser";
import cors from "cors";
import express, { Router, type Response } from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import { config } from "./config.js";
import { API_PREFIX, BODY_LIMIT, RESUMABLE_UPLOADS_PATH } from "./constants.js";
import { rejectOversizedBody } from "./middlewares/body-limit.middleware.js";
import { rejectUnsupportedBody } from "./middlewares/content-type.middleware.js";
import {
  rejectMalformedQuery,
  requireUtf8Body,
} from "./middlewares/encoding.middleware.js";
import {
  errorHandler,
  notFoundHandler,
} from "./middlewares/error.middleware.js";
import { logRequestCommands } from "./db/commandLog.js";
import { methodNotAllowed } from "./middlewares/methodNotAllowed.middleware.js";
import { publicFiles } from "./middlewares/static.middleware.js";
import docsRouter from "./routes/docs.routes.js";
import { apiRouter } from "./routes/index.js";
import { resumableUploads } from "./routes/upload.routes.js";
import { logger, logSerializers } from "./utils/logger.js";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

const app = express();

app.disable("x-powered-by");
app.set("trust proxy", config.trustProxy);
// Express 5's default "simple" parser: repeated keys become arrays, and
// bracket syntax (a[$ne]=x) stays a plain string key that zod then rejects.
app.set("query parser", "simple");

app.use(logRequestCommands);
app.use(
  pinoHttp({
    logger,
    serializers: logSerializers,
    // How many database commands the request sent: an N+1 shows in the log.
    customProps: (_req, res) => ({
      dbCommands: (res as Response).locals.dbCommands?.length,
    }),
    genReqId: (req, res) => {
      const incoming = req.headers["x-request-id"];
      const id =
        typeof incoming === "string" && REQUEST_ID.test(incoming)
          ? incoming
          : randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
  })
);
app.use(
  helmet({
    // Over plain http (development, a LAN address) these would send the
    // browser to https for the docs' assets and leave /api-docs blank.
    strictTransportSecurity: config.isProduction,
    contentSecurityPolicy: {
      directives: { upgradeInsecureRequests: config.isProduction ? [] : null },
    },
  })
);

// The notes' order: cors, body parsers, static files, cookies, routers.
app.use(
  cors({
    // An allow-list: an unknown origin gets no CORS headers at all, and '*'
    // is refused at start-up because browsers drop it with credentials.
    origin: config.cors.origins,
    credentials: true,
    // Without these, browser code cannot read the rate-limit and trace headers.
    exposedHeaders: [
      "Retry-After",
      "RateLimit",
      "RateLimit-Policy",
      "X-Request-Id",
      "WWW-Authenticate",
    ],
    maxAge: 600,
  })
);
app.use(rejectMalformedQuery);
// Resumable uploads (tus) read their own bodies (application/offset+octet-
// stream) and answer in their own protocol: ahead of the body parsers and of
// the check that refuses the body types they do not parse.
app.use(RESUMABLE_UPLOADS_PATH, cookieParser(), ...resumableUploads);
app.use(rejectOversizedBody);
app.use(express.json({ limit: BODY_LIMIT, verify: requireUtf8Body }));
app.use(
  express.urlencoded({
    extended: true,
    limit: BODY_LIMIT,
    verify: requireUtf8Body,
    parameterLimit: 100,
    // body-parser 2 honours `depth`; @types/express does not list it yet.
    depth: 5,
  } as Parameters<typeof express.urlencoded>[0])
);
app.use(rejectUnsupportedBody);
// Stored media first, from wherever UPLOAD_DIR points (it need not be in
// public/), with the same guard so no path reaches the temp folder.
// serve-static answers Range requests (206) and sets the type from the
// sniffed extension. CORP cross-origin lets the SPA's <img>/<video> load them.
app.use(
  "/uploads",
  (_req, res, next) => {
    res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    next();
  },
  ...publicFiles(config.uploads.storageDir, config.uploads.tempDir)
);
// API paths never name a file: skipping them saves serve-static's fs.stat,
// which queues on the libuv pool behind bcrypt during logins (bench/README.md).
const publicStatic = Router().use(
  publicFiles(config.uploads.publicDir, config.uploads.tempDir)
);
app.use((req, res, next) => {
  if (req.path.startsWith(`${API_PREFIX}/`)) {
    next();
    return;
  }
  publicStatic(req, res, next);
});
app.use(cookieParser());

app.use(API_PREFIX, apiRouter);
app.use("/api-docs", docsRouter);

app.use(methodNotAllowed);
app.use(notFoundHandler);
app.use(errorHandler);

export { app };
