const DATABASE_DOWN_ERRORS = new Set([
  "MongoServerSelectionError",
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoNotConnectedError",
  "MongoTopologyClosedError",
  "MongoPoolClearedError",
  "MongooseServerSelectionError",
]);

// A socket to the database that the driver found cut before it noticed
// (mongodb 7.8 throws the plain Node error).
const SOCKET_CUT_CODES = new Set(["EPIPE", "ECONNRESET", "ECONNREFUSED"]);

/**
 * The database could not be reached or the connection was lost. For a
 * write, the outcome is then unknown: a cut after the write loses the
 * answer, not the write.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, code, message } = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
  };
  return (
    DATABASE_DOWN_ERRORS.has(String(name)) ||
    SOCKET_CUT_CODES.has(String(code)) ||
    (name === "MongooseError" &&
      typeof message === "string" &&
      /buffering timed out|before initial connection|Client must be connected/i.test(
        message
      ))
  );
}
