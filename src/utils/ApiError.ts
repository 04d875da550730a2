export interface FieldError {
  path: string;
  message: string;
}

/** The error envelope of the contract: `{ statusCode, data: null, message, success: false, errors }`. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly statusCode: number;
  readonly errors: FieldError[];
  readonly data = null;
  readonly success = false;
  /** Extra response headers, e.g. `Retry-After` on 429. */
  readonly headers: Record<string, string>;

  constructor(
    statusCode: number,
    message = "Something went wrong",
    errors: FieldError[] = [],
    options: { cause?: unknown; headers?: Record<string, string> } = {}
  ) {
    super(message, { cause: options.cause });
    this.statusCode = statusCode;
    this.errors = errors;
    this.headers = options.headers ?? {};
  }

  toJSON() {
    return {
      statusCode: this.statusCode,
      data: this.data,
      message: this.message,
      success: this.success,
      errors: this.errors,
    };
  }
}
