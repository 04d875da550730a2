import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { API_PREFIX } from "../constants.js";
import { addExamples } from "./openapi.examples.js";

extendZodWithOpenApi(z);

export const registry = new OpenAPIRegistry();

registry.registerComponent("securitySchemes", "bearerAuth", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
});
registry.registerComponent("securitySchemes", "cookieAuth", {
  type: "apiKey",
  in: "cookie",
  name: "accessToken",
});

export const fieldErrorSchema = z.object({
  path: z.string(),
  message: z.string(),
});

export const errorEnvelopeSchema = registry.register(
  "ApiError",
  z.object({
    statusCode: z.number().int(),
    data: z.null(),
    message: z.string(),
    success: z.literal(false),
    errors: z.array(fieldErrorSchema),
    requestId: z.string().optional(),
  })
);

/**
 * The envelope of an answer that carries data: a success, or a failure that
 * still reports something (the health check's 503). Its status and message
 * carry the examples the operation's example is composed with.
 */
export const dataEnvelope = <T extends z.ZodType>(
  data: T,
  answer: { status: number; description: string }
) =>
  z.object({
    statusCode: z.number().int().openapi({ example: answer.status }),
    data,
    message: z.string().openapi({ example: answer.description }),
    success: z.literal(answer.status < 400),
  });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input: malformed JSON, a bad id or a field that failed validation",
  401: "Missing, expired or invalid credentials",
  403: "Not the owner",
  404: "Not found",
  409: "Conflict with an existing record",
  413: "Body or file too large",
  415: "Unsupported content or file type",
  429: "Rate limited: see Retry-After",
  502: "Media storage failed",
  503: "Database unavailable",
  507: "No space left for uploads",
};

export type HttpMethod = "get" | "post" | "patch" | "put" | "delete";

/** A body's fields, optionally followed by a transform that normalises them (aliases). */
export type BodySchema = z.ZodObject | z.ZodPipe<z.ZodObject, z.ZodType>;

/** The fields a body schema documents: the object before any transform. */
export const fieldsOf = (body: BodySchema): z.ZodObject =>
  body instanceof z.ZodPipe ? body.in : body;

/** What a request carries, as zod schemas; `validate()` parses with it. */
export interface RequestShape {
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: BodySchema;
}

export interface EndpointSpec<S extends RequestShape> {
  method: HttpMethod;
  /** Express-style path below the area, e.g. "/:videoId". */
  path: string;
  summary: string;
  description?: string;
  /** "required": 401 without a token; "optional": viewer-specific fields with one. */
  auth?: "required" | "optional";
  request?: S;
  /** How the body travels; multipart bodies carry files named in `files`. */
  bodyType?: "json" | "multipart";
  files?: Record<string, { required: boolean; description: string }>;
  success: Answer;
  /** Failures that still answer data instead of an ApiError (the health check's 503). */
  failures?: Answer[];
  /**
   * A request body example, where the one composed from the fields'
   * examples would mislead (it sends every optional field, aliases too).
   */
  requestExample?: Record<string, unknown>;
  /**
   * A JSON body the endpoint takes instead of its multipart form (a publish
   * that names finished resumable uploads), documented beside the form.
   */
  jsonAlternative?: {
    schema: z.ZodObject;
    example?: Record<string, unknown>;
  };
  /** Statuses beyond those the spec implies (see `errorStatusesOf`). */
  errors?: number[];
  /** False for the one route mounted without a route-class rate limit. */
  rateLimited?: boolean;
}

export interface Answer {
  status: number;
  description: string;
  data: z.ZodType;
  /** The data's example, where the one composed from its fields' examples would not fit. */
  example?: unknown;
}

const toOpenApiPath = (expressPath: string) =>
  expressPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}").replace(/\/$/, "") || "/";

function multipartSchema(
  body: BodySchema | undefined,
  files: NonNullable<EndpointSpec<RequestShape>["files"]>
) {
  const fileFields = Object.fromEntries(
    Object.entries(files).map(([name, file]) => {
      const binary = z
        .string()
        .openapi({ format: "binary", description: file.description });
      return [name, file.required ? binary : binary.optional()];
    })
  );
  return (body ? fieldsOf(body) : z.object({})).extend(fileFields);
}

/** Every status an endpoint can answer an ApiError with, from what it does. */
function errorStatusesOf(spec: EndpointSpec<RequestShape>): number[] {
  const shape = spec.request ?? {};
  const statuses = new Set(spec.errors ?? []);
  if (shape.params || shape.query || shape.body || spec.files)
    statuses.add(400);
  // Optional sign-in too: a token that does not work is refused, not ignored.
  if (spec.auth) statuses.add(401);
  // Any body may be too large (16kb for JSON) or of a type not accepted.
  if (spec.files || shape.body) [413, 415].forEach((s) => statuses.add(s));
  // Files go to media storage, through a temp folder that may be full.
  if (spec.files) [502, 507].forEach((s) => statuses.add(s));
  if (spec.rateLimited !== false) statuses.add(429);
  statuses.add(503);
  for (const failure of spec.failures ?? []) statuses.delete(failure.status);
  return [...statuses].sort((a, b) => a - b);
}

function dataResponse(answer: Answer): ResponseConfig {
  const schema = dataEnvelope(answer.data, answer);
  const example =
    answer.example === undefined
      ? undefined
      : {
          statusCode: answer.status,
          data: answer.example,
          message: answer.description,
          success: answer.status < 400,
        };
  return {
    description: answer.description,
    content: { "application/json": { schema, example } },
  };
}

const errorResponseRefs = new Map<number, { $ref: string }>();

/**
 * The error answer of a status, registered once as a response component
 * (`Error404`, ...) that every operation answering it refers to: one copy
 * of each error answer and its example in the document, not one per route.
 */
function errorResponse(status: number): { $ref: string } {
  const known = errorResponseRefs.get(status);
  if (known) return known;
  const message = ERROR_DESCRIPTIONS[status];
  if (message === undefined)
    throw new Error(`ERROR_DESCRIPTIONS has no entry for ${status}`);
  const { ref } = registry.registerComponent("responses", `Error${status}`, {
    description: message,
    content: {
      "application/json": {
        schema: { $ref: "#/components/schemas/ApiError" },
        example: {
          statusCode: status,
          data: null,
          message,
          success: false,
          errors: [],
        },
      },
    },
  });
  errorResponseRefs.set(status, ref);
  return ref;
}

/**
 * Registers one endpoint in the OpenAPI document and returns its request
 * shape, so the schema that validates a request is the one that documents it.
 */
export function apiArea(prefix: string, tag: string) {
  return function endpoint<S extends RequestShape>(spec: EndpointSpec<S>): S {
    const shape = (spec.request ?? {}) as S;
    const responses: RouteConfig["responses"] = {};
    for (const answer of [spec.success, ...(spec.failures ?? [])])
      responses[answer.status] = dataResponse(answer);
    for (const status of errorStatusesOf(spec))
      responses[status] = errorResponse(status);

    const request: NonNullable<RouteConfig["request"]> = {};
    if (shape.params) request.params = shape.params;
    if (shape.query) request.query = shape.query;
    const carriesFiles = spec.bodyType === "multipart" || spec.files;
    // Without a required file (a video's edit: its thumbnail is optional),
    // the same fields may also come as JSON or urlencoded.
    const fieldsAlone =
      shape.body &&
      spec.bodyType !== "multipart" &&
      !Object.values(spec.files ?? {}).some((file) => file.required);
    if (carriesFiles || shape.body) {
      const fields = shape.body && fieldsOf(shape.body);
      const example = spec.requestExample;
      request.body = {
        // A body whose fields are all optional (refresh-token, logout) may be left out.
        required: Boolean(carriesFiles) || !shape.body?.safeParse({}).success,
        content: {
          ...(fieldsAlone && fields
            ? {
                "application/json": { schema: fields, example },
                "application/x-www-form-urlencoded": {
                  schema: fields,
                  example,
                },
              }
            : {}),
          "multipart/form-data": {
            schema: carriesFiles
              ? multipartSchema(shape.body, spec.files ?? {})
              : fields,
          },
          // After the form: the form stays the first way shown (Postman, docs).
          ...(spec.jsonAlternative
            ? {
                "application/json": {
                  schema: spec.jsonAlternative.schema,
                  example: spec.jsonAlternative.example,
                },
              }
            : {}),
        },
      };
    }

    registry.registerPath({
      method: spec.method,
      path: toOpenApiPath(`${API_PREFIX}${prefix}${spec.path}`),
      tags: [tag],
      summary: spec.summary,
      description: spec.description,
      security:
        spec.auth === "required"
          ? [{ bearerAuth: [] }, { cookieAuth: [] }]
          : spec.auth === "optional"
            ? [{ bearerAuth: [] }, { cookieAuth: [] }, {}]
            : undefined,
      request,
      responses,
    });
    return shape;
  };
}

let cachedDocument:
  ReturnType<OpenApiGeneratorV31["generateDocument"]> | undefined;

export function openApiDocument() {
  if (cachedDocument) return cachedDocument;
  cachedDocument = new OpenApiGeneratorV31(
    registry.definitions
  ).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "VideoTube API",
      version: "1.0.0",
      description:
        "The backend of a YouTube-like video platform with a Twitter-like side. Every answer is an ApiResponse or ApiError envelope.",
    },
    servers: [{ url: "/" }],
  });
  addExamples(cachedDocument);
  return cachedDocument;
}
