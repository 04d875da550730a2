import { pino, stdSerializers, type DestinationStream } from "pino";
import pretty from "pino-pretty";
import { config } from "../config.js";
import { redactSecrets } from "./logRedaction.js";

export type LogFormat = "pretty" | "json";

/**
 * Pretty for a person at a terminal in development; JSON lines for
 * everything else (a log collector, a pipe, CI, production).
 */
export function logFormatFor(options: {
  configured: LogFormat | undefined;
  isTTY: boolean;
  isProduction: boolean;
}): LogFormat {
  if (options.configured) return options.configured;
  return options.isTTY && !options.isProduction ? "pretty" : "json";
}

const redacting =
  <T>(serialize: (value: T) => unknown) =>
  (value: T) =>
    redactSecrets(serialize(value));

/**
 * Serializers that redact. pino-http hands `req` and `res` over already
 * mapped (method, url, headers…) and wraps `err` with pino's own.
 */
export const logSerializers = {
  req: redacting((req: unknown) => req),
  res: redacting((res: unknown) => res),
  err: redacting(stdSerializers.err),
};

export function createLogger(
  format: LogFormat,
  destination?: DestinationStream
) {
  const stream =
    destination ??
    (format === "pretty"
      ? pretty({ sync: true, translateTime: "SYS:HH:MM:ss.l" })
      : undefined);
  const options = {
    level: config.logLevel,
    serializers: logSerializers,
    formatters: {
      // Whatever else a call logs (`{ user, body }`, a message's arguments).
      log: (object: Record<string, unknown>) => {
        const { req, res, err, ...rest } = object;
        return {
          ...(redactSecrets(rest) as Record<string, unknown>),
          ...(req === undefined ? {} : { req }),
          ...(res === undefined ? {} : { res }),
          ...(err === undefined ? {} : { err }),
        };
      },
    },
    hooks: {
      // A message string can hold a token too (`logger.info(\`… ${url}\`)`).
      logMethod(
        this: unknown,
        args: unknown[],
        method: (...args: unknown[]) => void
      ) {
        method.apply(
          this,
          args.map((arg) =>
            typeof arg === "string" ? redactSecrets(arg) : arg
          )
        );
      },
    },
  };
  return stream ? pino(options, stream) : pino(options);
}

export const logger = createLogger(
  logFormatFor({
    configured: config.logFormat,
    isTTY: process.stdout.isTTY === true,
    isProduction: config.isProduction,
  })
);
