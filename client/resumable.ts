// Resumable uploads (tus 1.0, /api/v1/uploads) through tus-js-client:
// progress, retries with backoff, and a resume from the server's offset after
// a cut connection. A module of its own: client/index.ts stays loadable by a
// browser without a bundler, which tus-js-client's imports need.
import { Upload } from "tus-js-client";
import type { ProgressListener } from "./upload.js";

export interface ResumableUploadOptions {
  /** The API's origin, e.g. `http://localhost:8000`. */
  baseUrl: string;
  /** What the upload is: its size limit, and the field of POST /videos it may fill. */
  kind: "video" | "image";
  /** A Bearer token; omit in a browser that signs in with the cookie. */
  accessToken?: string;
  /** Bytes per PATCH (tus-js-client's default: the whole file in one). */
  chunkSize?: number;
  /** Waits between tries after a failed request, in ms. */
  retryDelays?: number[];
  /** An upload's URL from an earlier try: it goes on from the server's offset. */
  resumeFrom?: string;
  onProgress?: ProgressListener;
  /** Called once the server has created the upload, with its URL (keep it to resume). */
  onCreated?: (url: string) => void;
  signal?: AbortSignal;
}

/** An upload's id, the last segment of its URL: what POST /videos takes. */
export const uploadIdOf = (url: string): string =>
  new URL(url, "http://x").pathname.split("/").at(-1) ?? "";

/**
 * Sends `file` (a Blob or File in browsers, a Buffer in Node) and resolves
 * with the upload id once every byte is in and the server has checked it.
 * Rejects with tus-js-client's error (its `originalResponse` holds the
 * server's status and plain-text reason) or an AbortError.
 */
export function uploadResumable(
  file: Blob | Buffer,
  options: ResumableUploadOptions
): Promise<string> {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  return new Promise((resolve, reject) => {
    const upload = new Upload(file, {
      endpoint: `${baseUrl}/api/v1/uploads`,
      uploadUrl: options.resumeFrom ?? null,
      metadata: { kind: options.kind },
      headers: options.accessToken
        ? { Authorization: `Bearer ${options.accessToken}` }
        : {},
      // The cookie of a browser SPA on another origin.
      onBeforeRequest: (request) => {
        const xhr = request.getUnderlyingObject() as {
          withCredentials?: boolean;
        };
        if (!options.accessToken && "withCredentials" in xhr)
          xhr.withCredentials = true;
      },
      ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
      retryDelays: options.retryDelays ?? [0, 1000, 3000, 5000],
      // The server says what it refuses once; only a cut or a 5xx is retried.
      onShouldRetry: (error) => {
        const status = error.originalResponse?.getStatus() ?? 0;
        return status === 0 || status >= 500 || status === 409;
      },
      onProgress: options.onProgress ?? null,
      onUploadUrlAvailable: () => {
        if (upload.url) options.onCreated?.(upload.url);
      },
      onSuccess: () => resolve(uploadIdOf(upload.url ?? "")),
      onError: reject,
    });
    options.signal?.addEventListener("abort", () => {
      void upload.abort();
      reject(new DOMException("Upload aborted", "AbortError"));
    });
    upload.start();
  });
}
