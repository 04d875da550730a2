import multer from "multer";
import { ApiError } from "../utils/ApiError.js";
import { StorageError } from "../utils/storage/errors.js";

type MulterCode =
  | multer.MulterError["code"]
  | "MISSING_FIELD_NAME"
  | "LIMIT_FIELD_NESTING"
  | "LIMIT_FIELD_ARRAY_INDEX"
  | "INVALID_FIELD_NAME"
  | "STREAM_DESTROYED";

/** Limits on size and count are 413; a malformed or unexpected form is 400. */
const MULTER_ERRORS: Record<MulterCode, [number, string]> = {
  LIMIT_FILE_SIZE: [413, "File too large"],
  LIMIT_FIELD_VALUE: [413, "Form field value too long"],
  LIMIT_PART_COUNT: [413, "Too many parts in the form"],
  LIMIT_FILE_COUNT: [413, "Too many files"],
  LIMIT_FIELD_COUNT: [413, "Too many form fields"],
  LIMIT_FIELD_KEY: [400, "Form field name too long"],
  LIMIT_UNEXPECTED_FILE: [400, "Unexpected file field"],
  MISSING_FIELD_NAME: [400, "Form field name missing"],
  LIMIT_FIELD_NESTING: [400, "Form field name nested too deep"],
  LIMIT_FIELD_ARRAY_INDEX: [400, "Form field array index too large"],
  INVALID_FIELD_NAME: [400, "Invalid form field name"],
  STREAM_DESTROYED: [400, "Upload interrupted"],
};

/** Rules of the error table (error.middleware.ts) for uploads and storage. */
export const mediaErrorRules: ((error: unknown) => ApiError | undefined)[] = [
  (error) => {
    if (!(error instanceof multer.MulterError)) return undefined;
    const [status, message] = MULTER_ERRORS[error.code as MulterCode] ?? [
      400,
      "Invalid upload",
    ];
    return new ApiError(
      status,
      message,
      error.field ? [{ path: error.field, message }] : []
    );
  },
  (error) =>
    error instanceof StorageError
      ? new ApiError(502, "Media storage failed, try again later", [], {
          cause: error,
        })
      : undefined,
];
