// Multipart uploads that report progress, in browsers and in Node, without a
// Node-only import so the browser can load this module as it is.
import { VideoTubeApiError } from "./errors.js";

/** fetch's RequestInit credentials (the DOM name is not in the project's lib). */
export type Credentials = "omit" | "same-origin" | "include";

export type ProgressListener = (loaded: number, total: number) => void;

export interface UploadRequest {
  method: "POST" | "PATCH";
  url: string;
  form: FormData;
  headers: Record<string, string>;
  credentials: Credentials;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** The part of the browser's XMLHttpRequest this module uses (lib "DOM" is not in the project's types). */
interface Xhr {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  withCredentials: boolean;
  readonly status: number;
  readonly responseText: string;
  readonly upload: {
    onprogress:
      | ((event: {
          loaded: number;
          total: number;
          lengthComputable: boolean;
        }) => void)
      | null;
  };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

const PROGRESS_SLICE = 64 * 1024;

const BrowserXhr = (globalThis as { XMLHttpRequest?: new () => Xhr })
  .XMLHttpRequest;

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Browsers: only XMLHttpRequest reports upload progress (a streamed fetch body needs HTTP/2). */
function uploadWithXhr(XhrClass: new () => Xhr, request: UploadRequest) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const xhr = new XhrClass();
    xhr.open(request.method, request.url);
    xhr.withCredentials = request.credentials === "include";
    for (const [name, value] of Object.entries(request.headers))
      xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable)
        request.onProgress?.(event.loaded, event.total);
    };
    xhr.onload = () =>
      resolve({ status: xhr.status, body: parse(xhr.responseText) });
    xhr.onerror = () => reject(new TypeError("Network error during upload"));
    xhr.onabort = () =>
      reject(new DOMException("Upload aborted", "AbortError"));
    request.signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(request.form);
  });
}

/**
 * Elsewhere (Node, Deno, Bun): encode the form once to learn its size, then
 * stream it, counting the bytes fetch pulls from the stream.
 */
async function uploadWithFetch(request: UploadRequest) {
  const encoded = new Response(request.form);
  const contentType = encoded.headers.get("content-type") ?? "";
  const blob = await encoded.blob();
  const total = blob.size;
  let loaded = 0;
  // Pulled one slice at a time (highWaterMark 0): a slice is counted when
  // fetch asks for it, so progress follows the socket, not a buffer.
  const counted = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (loaded >= total) {
          controller.close();
          return;
        }
        const slice = blob.slice(loaded, loaded + PROGRESS_SLICE);
        controller.enqueue(new Uint8Array(await slice.arrayBuffer()));
        loaded += slice.size;
        request.onProgress?.(loaded, total);
      },
    },
    { highWaterMark: 0 }
  );
  const response = await fetch(request.url, {
    method: request.method,
    headers: {
      ...request.headers,
      "content-type": contentType,
      "content-length": String(total),
    },
    body: counted,
    credentials: request.credentials,
    signal: request.signal,
    // Node's fetch sends a stream body only half-duplex.
    duplex: "half",
  } as RequestInit & { duplex: "half" });
  return { status: response.status, body: parse(await response.text()) };
}

/** Sends the form; resolves with the parsed success envelope, throws VideoTubeApiError otherwise. */
export async function sendMultipart(request: UploadRequest): Promise<unknown> {
  const { status, body } = BrowserXhr
    ? await uploadWithXhr(BrowserXhr, request)
    : await uploadWithFetch(request);
  if (status < 200 || status >= 300) throw new VideoTubeApiError(status, body);
  return body;
}
