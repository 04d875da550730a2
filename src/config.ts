import { createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import dotenv from "dotenv";
import { z } from "zod";
import { DB_NAME } from "./constants.js";

// The notes configured Cloudinary before dotenv had run. Loading .env here, in
// the one module that reads process.env, makes that order impossible.
dotenv.config({ quiet: true });

export const projectRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  ".."
);

const MIN_SECRET_BYTES = 32;

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);

const byteSize = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);

const durationText = (fallback: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+(ms|s|m|h|d)?$/, "use a number of seconds or 15m, 12h, 10d")
    .default(fallback);

const envSchema = z.object({
  NODE_ENV: z
    .enum(["development", "production", "test"])
    .default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  MONGODB_URI: optionalText,
  DB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, "letters, digits, _ and - only")
    .default(DB_NAME),
  DB_CONNECT_TIMEOUT_MS: positiveInt(30_000),
  // A query to a database that is away fails after this. A request can wait
  // twice (a retried write, or a read then the write: seen in
  // tests/faults/database-down.test.ts), and its 503 must come within 2 s;
  // a reachable server is selected at once.
  DB_SERVER_SELECTION_TIMEOUT_MS: positiveInt(750),
  DATA_DIR: z.string().default(".data"),
  DB_POSTGRESQL_URL: optionalText,
  CORS_ORIGIN: z
    .string()
    .default("http://localhost:5173,http://localhost:3000")
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim().replace(/\/+$/, ""))
        .filter(Boolean)
    )
    .refine((origins) => !origins.includes("*"), {
      message:
        "'*' cannot be combined with credentials: list the allowed origins, comma-separated",
    })
    .refine(
      (origins) => origins.every((origin) => URL.canParse(origin)),
      "each origin must be a URL such as https://app.example.com"
    ),
  ACCESS_TOKEN_SECRET: optionalText,
  ACCESS_TOKEN_EXPIRY: durationText("15m"),
  REFRESH_TOKEN_SECRET: optionalText,
  REFRESH_TOKEN_EXPIRY: durationText("10d"),
  COOKIE_SAMESITE: z.enum(["lax", "strict", "none"]).default("lax"),
  CLOUDINARY_CLOUD_NAME: optionalText,
  CLOUDINARY_API_KEY: optionalText,
  CLOUDINARY_API_SECRET: optionalText,
  CLOUDINARY_UPLOAD_PREFIX: optionalText,
  // Without it a Cloudinary that accepts and never answers holds each upload
  // for the SDK's 60 s.
  CLOUDINARY_TIMEOUT_MS: positiveInt(30_000),
  // Unset: pretty on a terminal outside production, JSON lines otherwise.
  LOG_FORMAT: z.enum(["pretty", "json"]).optional(),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .optional(),
  UPLOAD_TEMP_DIR: z.string().default("public/temp"),
  UPLOAD_DIR: z.string().default("public/uploads"),
  PUBLIC_URL: z
    .url("a URL such as https://api.example.com")
    .transform((url) => url.replace(/\/+$/, ""))
    .optional(),
  MAX_IMAGE_BYTES: byteSize(5 * 1024 * 1024),
  MAX_VIDEO_BYTES: byteSize(2 * 1024 * 1024 * 1024),
  // Resumable (tus) uploads: their own folder, inside the temp folder unless set.
  RESUMABLE_UPLOAD_DIR: optionalText,
  // Counted from the upload's creation: what is still there then is deleted.
  RESUMABLE_UPLOAD_EXPIRY_MS: positiveInt(24 * 60 * 60 * 1000),
  RESUMABLE_UPLOAD_SWEEP_INTERVAL_MS: positiveInt(10 * 60 * 1000),
  RESUMABLE_UPLOADS_PER_USER: positiveInt(10),
  SHUTDOWN_TIMEOUT_MS: positiveInt(10_000),
  // Node's own defaults; a whole request (a 2 GiB video included) must
  // arrive within REQUEST_TIMEOUT_MS.
  REQUEST_TIMEOUT_MS: positiveInt(300_000),
  HEADERS_TIMEOUT_MS: positiveInt(60_000),
  KEEP_ALIVE_TIMEOUT_MS: positiveInt(5_000),
  // Empty or 0: off. Otherwise the event loop's delay is logged this often.
  EVENT_LOOP_REPORT_MS: z.coerce.number().int().min(0).default(0),
  LIST_CACHE_TTL_MS: positiveInt(10_000),
  LIST_CACHE_MAX: positiveInt(500),
  WATCH_FLUSH_INTERVAL_MS: positiveInt(250),
  WATCH_FLUSH_BATCH: positiveInt(500),
  WATCH_PENDING_MAX: positiveInt(100_000),
  AUTH_CACHE_TTL_MS: positiveInt(5_000),
  AUTH_CACHE_MAX: positiveInt(10_000),
  SESSION_SWEEP_INTERVAL_MS: positiveInt(10 * 60 * 1000),
  // 0 turns the grace window off: any second use of a refresh token is reuse.
  REFRESH_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  LOGIN_FAILURES_PER_ACCOUNT: positiveInt(10),
  LOGIN_FAILURES_PER_IP: positiveInt(50),
  LOGIN_WINDOW_MS: positiveInt(15 * 60 * 1000),
  REGISTRATIONS_PER_IP: positiveInt(100),
  REGISTRATION_WINDOW_MS: positiveInt(60 * 60 * 1000),
  RATE_LIMIT_WINDOW_MS: positiveInt(60 * 1000),
  RATE_LIMIT_AUTH: positiveInt(120),
  RATE_LIMIT_UPLOADS: positiveInt(30),
  RATE_LIMIT_WRITES: positiveInt(300),
  RATE_LIMIT_READS: positiveInt(1200),
  REDIS_URL: z
    .string()
    .trim()
    .transform((value) => (value === "" ? undefined : value))
    .refine(
      (value) => value === undefined || /^rediss?:\/\/./.test(value),
      "a URL such as redis://localhost:6379"
    )
    .optional(),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value) => {
      if (value === undefined || value === "" || value === "false")
        return false;
      if (value === "true") return true;
      return /^\d+$/.test(value) ? Number(value) : value;
    }),
});

export type Env = z.input<typeof envSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map(
      (issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`
    )
    .join("\n");
}

function tokenSecret(
  name: "ACCESS_TOKEN_SECRET" | "REFRESH_TOKEN_SECRET",
  value: string | undefined,
  production: boolean,
  warnings: string[]
): KeyObject {
  if (value !== undefined && Buffer.byteLength(value) >= MIN_SECRET_BYTES) {
    return createSecretKey(Buffer.from(value));
  }
  if (production) {
    throw new ConfigError(
      value === undefined
        ? `${name} is not set: production needs a secret of at least ${MIN_SECRET_BYTES} bytes (openssl rand -hex 32)`
        : `${name} is too short: production needs at least ${MIN_SECRET_BYTES} bytes (openssl rand -hex 32)`
    );
  }
  warnings.push(
    `${name} is ${value === undefined ? "not set" : "weaker than 32 bytes"}: using a random secret for this process, so tokens stop working on restart`
  );
  // A KeyObject made once: jsonwebtoken rebuilds one from a string secret on
  // every call, which measured 48x slower (shared/PERFORMANCE.md).
  return createSecretKey(randomBytes(MIN_SECRET_BYTES));
}

export function parseConfig(env: NodeJS.ProcessEnv | Env) {
  // An empty variable (as copied from .env.example) means "use the default".
  const present = Object.fromEntries(
    Object.entries(env).filter(
      ([, value]) => value !== undefined && value !== ""
    )
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      `Invalid configuration:\n${describeIssues(parsed.error)}`
    );
  }
  const vars = parsed.data;
  const production = vars.NODE_ENV === "production";
  const warnings: string[] = [];

  const cloudinaryVars = [
    vars.CLOUDINARY_CLOUD_NAME,
    vars.CLOUDINARY_API_KEY,
    vars.CLOUDINARY_API_SECRET,
  ];
  const cloudinarySet = cloudinaryVars.filter((v) => v !== undefined).length;
  if (cloudinarySet > 0 && cloudinarySet < cloudinaryVars.length) {
    throw new ConfigError(
      "CLOUDINARY_CLOUD_NAME, CLOUDINARY_API_KEY and CLOUDINARY_API_SECRET go together: set all three or none"
    );
  }

  if (vars.HEADERS_TIMEOUT_MS > vars.REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      "HEADERS_TIMEOUT_MS must not be longer than REQUEST_TIMEOUT_MS: the headers are part of the request"
    );
  }

  const resolveDir = (dir: string) => path.resolve(projectRoot, dir);
  const isInside = (dir: string, parent: string) => {
    const relative = path.relative(parent, dir);
    return !relative.startsWith("..") && !path.isAbsolute(relative);
  };

  const tempDir = resolveDir(vars.UPLOAD_TEMP_DIR);
  const resumableDir = resolveDir(
    vars.RESUMABLE_UPLOAD_DIR ?? path.join(vars.UPLOAD_TEMP_DIR, "resumable")
  );
  // public/ and UPLOAD_DIR are served; only the temp folder inside is not.
  const served = [resolveDir("public"), resolveDir(vars.UPLOAD_DIR)];
  if (
    served.some((dir) => isInside(resumableDir, dir)) &&
    !isInside(resumableDir, tempDir)
  ) {
    throw new ConfigError(
      "RESUMABLE_UPLOAD_DIR would be served over HTTP: put it outside public/ and UPLOAD_DIR, or inside UPLOAD_TEMP_DIR"
    );
  }
  if (resumableDir === tempDir) {
    // The start-up janitor empties the temp folder of files older than 10 min.
    throw new ConfigError(
      "RESUMABLE_UPLOAD_DIR must not be UPLOAD_TEMP_DIR itself: use a folder of its own (inside it is fine)"
    );
  }

  return {
    env: vars.NODE_ENV,
    isProduction: production,
    isTest: vars.NODE_ENV === "test",
    port: vars.PORT,
    trustProxy: vars.TRUST_PROXY,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
    // What a slow or idle client is allowed before its connection is cut.
    http: {
      requestTimeoutMs: vars.REQUEST_TIMEOUT_MS,
      headersTimeoutMs: vars.HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: vars.KEEP_ALIVE_TIMEOUT_MS,
    },
    eventLoopReportMs: vars.EVENT_LOOP_REPORT_MS,
    logFormat: vars.LOG_FORMAT,
    logLevel: vars.LOG_LEVEL ?? (vars.NODE_ENV === "test" ? "silent" : "info"),
    db: {
      uri: vars.MONGODB_URI,
      name: vars.DB_NAME,
      connectTimeoutMs: vars.DB_CONNECT_TIMEOUT_MS,
      serverSelectionTimeoutMs: vars.DB_SERVER_SELECTION_TIMEOUT_MS,
      dataDir: resolveDir(vars.DATA_DIR),
      postgresUrl: vars.DB_POSTGRESQL_URL,
    },
    cors: { origins: vars.CORS_ORIGIN },
    auth: {
      accessTokenKey: tokenSecret(
        "ACCESS_TOKEN_SECRET",
        vars.ACCESS_TOKEN_SECRET,
        production,
        warnings
      ),
      accessTokenExpiry: vars.ACCESS_TOKEN_EXPIRY,
      refreshTokenKey: tokenSecret(
        "REFRESH_TOKEN_SECRET",
        vars.REFRESH_TOKEN_SECRET,
        production,
        warnings
      ),
      refreshTokenExpiry: vars.REFRESH_TOKEN_EXPIRY,
      // How long another instance may still accept a revoked session.
      cacheTtlMs: vars.AUTH_CACHE_TTL_MS,
      cacheMax: vars.AUTH_CACHE_MAX,
      sessionSweepIntervalMs: vars.SESSION_SWEEP_INTERVAL_MS,
      // Two tabs (or a retried request) refreshing with one token at once.
      refreshGraceMs: vars.REFRESH_GRACE_MS,
    },
    cookies: {
      sameSite: vars.COOKIE_SAMESITE,
      // Browsers drop SameSite=None cookies that are not Secure.
      secure: production || vars.COOKIE_SAMESITE === "none",
    },
    cloudinary:
      cloudinarySet === 0
        ? undefined
        : {
            cloudName: vars.CLOUDINARY_CLOUD_NAME as string,
            apiKey: vars.CLOUDINARY_API_KEY as string,
            apiSecret: vars.CLOUDINARY_API_SECRET as string,
            uploadPrefix: vars.CLOUDINARY_UPLOAD_PREFIX,
            timeoutMs: vars.CLOUDINARY_TIMEOUT_MS,
          },
    uploads: {
      publicDir: resolveDir("public"),
      tempDir,
      storageDir: resolveDir(vars.UPLOAD_DIR),
      // Local-disk media URLs are `${publicUrl}/uploads/...`; relative when unset.
      publicUrl: vars.PUBLIC_URL ?? "",
      maxImageBytes: vars.MAX_IMAGE_BYTES,
      maxVideoBytes: vars.MAX_VIDEO_BYTES,
      // tus uploads: created, resumed after a cut, then published by id.
      resumable: {
        dir: resumableDir,
        expiryMs: vars.RESUMABLE_UPLOAD_EXPIRY_MS,
        sweepIntervalMs: vars.RESUMABLE_UPLOAD_SWEEP_INTERVAL_MS,
        // Uploads a user may hold at once, receiving or waiting to be published.
        perUser: vars.RESUMABLE_UPLOADS_PER_USER,
      },
    },
    videoLists: {
      cacheTtlMs: vars.LIST_CACHE_TTL_MS,
      cacheMax: vars.LIST_CACHE_MAX,
    },
    // Views and history are written after the answer, in batches.
    watches: {
      flushIntervalMs: vars.WATCH_FLUSH_INTERVAL_MS,
      flushBatch: vars.WATCH_FLUSH_BATCH,
      pendingMax: vars.WATCH_PENDING_MAX,
    },
    rateLimits: {
      loginFailuresPerAccount: vars.LOGIN_FAILURES_PER_ACCOUNT,
      loginFailuresPerIp: vars.LOGIN_FAILURES_PER_IP,
      loginWindowMs: vars.LOGIN_WINDOW_MS,
      registrationsPerIp: vars.REGISTRATIONS_PER_IP,
      registrationWindowMs: vars.REGISTRATION_WINDOW_MS,
      // Per route class, per signed-in user (else per IP), per window.
      classWindowMs: vars.RATE_LIMIT_WINDOW_MS,
      auth: vars.RATE_LIMIT_AUTH,
      uploads: vars.RATE_LIMIT_UPLOADS,
      writes: vars.RATE_LIMIT_WRITES,
      reads: vars.RATE_LIMIT_READS,
    },
    // Shared by every instance: rate-limit counts and per-document write locks.
    redisUrl: vars.REDIS_URL,
    warnings,
  };
}

export type Config = ReturnType<typeof parseConfig>;

function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

export const config: Config = loadConfig();
