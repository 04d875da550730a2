/**
 * A duplicate key: 11000 on MongoDB (insert and update). FerretDB says 11000
 * on insert but InternalError (code 1) naming the index on update, so both
 * are read here and nowhere else.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
  };
  if (code === 11000) return true;
  return (
    code === 1 &&
    typeof message === "string" &&
    /duplicate|unique/i.test(message)
  );
}
