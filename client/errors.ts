import type { components } from "./schema.js";

export type ApiErrorBody = components["schemas"]["ApiError"];
export type FieldError = ApiErrorBody["errors"][number];

const isErrorEnvelope = (body: unknown): body is ApiErrorBody =>
  typeof body === "object" &&
  body !== null &&
  (body as { success?: unknown }).success === false &&
  typeof (body as { message?: unknown }).message === "string";

/** An answer outside 2xx: the API's `ApiError` envelope, typed. */
export class VideoTubeApiError extends Error {
  override name = "VideoTubeApiError";
  readonly statusCode: number;
  readonly errors: FieldError[];
  readonly requestId: string | undefined;

  constructor(statusCode: number, body: unknown) {
    // A proxy's HTML page or an empty 502 still makes an error a caller can read.
    const envelope = isErrorEnvelope(body) ? body : undefined;
    super(envelope?.message ?? `HTTP ${statusCode}`);
    this.statusCode = statusCode;
    this.errors = envelope?.errors ?? [];
    this.requestId = envelope?.requestId;
  }
}
