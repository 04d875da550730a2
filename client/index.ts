// The typed VideoTube client: openapi-fetch over the generated paths, the
// ApiError envelope as a typed error, and multipart uploads with progress.
// No Node-only import, so a browser can load it as an ES module.
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { VideoTubeApiError } from "./errors.js";
import type { paths } from "./schema.js";
import {
  sendMultipart,
  type Credentials,
  type ProgressListener,
} from "./upload.js";

export { VideoTubeApiError } from "./errors.js";
export type { ApiErrorBody, FieldError } from "./errors.js";
export type { components, paths } from "./schema.js";
export type { ProgressListener } from "./upload.js";

export interface VideoTubeClientOptions {
  /** The API's origin, e.g. `http://localhost:8000` (paths carry `/api/v1`). */
  baseUrl: string;
  /** A Bearer token, or a function read before every request; omit to rely on cookies. */
  accessToken?: string | (() => string | undefined);
  /** `"include"` sends the httpOnly cookies to another origin (a browser SPA). */
  credentials?: Credentials;
  /** A fetch of your own (tests, instrumentation); the global one by default. */
  fetch?: typeof fetch;
}

type MultipartMethod = "post" | "patch";

/** Every path with a multipart body for `M`. */
type MultipartPath<M extends MultipartMethod> = {
  [P in keyof paths]: paths[P][M] extends {
    requestBody?: { content: { "multipart/form-data": unknown } };
  }
    ? P
    : never;
}[keyof paths];

type Operation<
  M extends MultipartMethod,
  P extends MultipartPath<M>,
> = paths[P][M];

type MultipartFields<Op> = Op extends {
  requestBody?: { content: { "multipart/form-data": infer Body } };
}
  ? Body
  : never;

type PathParams<Op> = Op extends { parameters: { path: infer Params } }
  ? Params extends Record<string, string>
    ? Params
    : undefined
  : undefined;

type SuccessData<Op> = Op extends { responses: infer Responses }
  ? {
      [Code in keyof Responses]: Code extends 200 | 201
        ? Responses[Code] extends {
            content: { "application/json": { data: infer Data } };
          }
          ? Data
          : never
        : never;
    }[keyof Responses]
  : never;

export interface UploadOptions<Op> {
  fields: MultipartFields<Op>;
  path?: PathParams<Op>;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** What an openapi-fetch call resolves with, reduced to what `unwrap` reads. */
interface FetchResult<Envelope> {
  data?: Envelope;
  error?: unknown;
  response: Response;
}

export interface VideoTubeClient {
  /** The typed openapi-fetch client: `{ data, error, response }` per call, never throws for 4xx. */
  api: Client<paths>;
  /** Awaits a call of `api` and returns the envelope's `data`, or throws VideoTubeApiError. */
  unwrap<Envelope extends { data: unknown }>(
    pending: Promise<FetchResult<Envelope>>
  ): Promise<Envelope["data"]>;
  /** Sends a multipart form (register, publish, avatar…), reporting upload progress. */
  upload<M extends MultipartMethod, P extends MultipartPath<M>>(
    method: M,
    path: P,
    options: UploadOptions<Operation<M, P>>
  ): Promise<SuccessData<Operation<M, P>>>;
  setAccessToken(token: string | undefined): void;
}

const toFormData = (fields: object) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    if (value instanceof Blob) {
      // The server sniffs the bytes; the name only has to be present.
      const fileName = "name" in value ? String(value.name) : name;
      form.append(name, value, fileName);
    } else form.append(name, String(value));
  }
  return form;
};

const fillPath = (template: string, params: object | undefined) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = (params as Record<string, unknown> | undefined)?.[name];
    if (typeof value !== "string")
      throw new TypeError(`missing path parameter ${name}`);
    return encodeURIComponent(value);
  });

export function createVideoTubeClient(
  options: VideoTubeClientOptions
): VideoTubeClient {
  let accessToken = options.accessToken;
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const credentials = options.credentials ?? "same-origin";
  const currentToken = () =>
    typeof accessToken === "function" ? accessToken() : accessToken;
  const authHeaders = (): Record<string, string> => {
    const token = currentToken();
    return token ? { Authorization: `Bearer ${token}` } : {};
  };

  const api = createClient<paths>({
    baseUrl,
    credentials,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const bearer: Middleware = {
    onRequest({ request }) {
      const token = currentToken();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  };
  api.use(bearer);

  return {
    api,
    async unwrap(pending) {
      const { data, error, response } = await pending;
      if (!response.ok || data === undefined)
        throw new VideoTubeApiError(response.status, error);
      return data.data;
    },
    async upload(method, path, upload) {
      const envelope = (await sendMultipart({
        method: method === "post" ? "POST" : "PATCH",
        url: baseUrl + fillPath(path, upload.path),
        form: toFormData(upload.fields as object),
        headers: authHeaders(),
        credentials,
        onProgress: upload.onProgress,
        signal: upload.signal,
      })) as { data: never };
      return envelope.data;
    },
    setAccessToken(token) {
      accessToken = token;
    },
  };
}
