import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { API_PREFIX } from "../constants.js";

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

export const successEnvelope = <T extends z.ZodType>(data: T) =>
  z.object({
    statusCode: z.number().int(),
    data,
    message: z.string(),
    success: z.literal(true),
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
  success: { status: number; description: string; data: z.ZodType };
  errors?: number[];
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

/**
 * Registers one endpoint in the OpenAPI document and returns its request
 * shape, so the schema that validates a request is the one that documents it.
 */
export function apiArea(prefix: string, tag: string) {
  return function endpoint<S extends RequestShape>(spec: EndpointSpec<S>): S {
    const shape = (spec.request ?? {}) as S;
    const responses: Record<string, ResponseConfig> = {
      [spec.success.status]: {
        description: spec.success.description,
        content: {
          "application/json": { schema: successEnvelope(spec.success.data) },
        },
      },
    };
    const errorStatuses = new Set(spec.errors ?? []);
    if (shape.params || shape.query || shape.body || spec.files)
      errorStatuses.add(400);
    // Optional auth too: a token that no longer works is a 401, not anonymous.
    if (spec.auth) errorStatuses.add(401);
    // Any body may be too large (16kb for JSON) or of a type not accepted.
    if (spec.files || shape.body)
      [413, 415].forEach((s) => errorStatuses.add(s));
    errorStatuses.add(503);
    for (const status of [...errorStatuses].sort()) {
      responses[status] = {
        description: ERROR_DESCRIPTIONS[status] ?? "Error",
        content: { "application/json": { schema: errorEnvelopeSchema } },
      };
    }

    const request: NonNullable<RouteConfig["request"]> = {};
    if (shape.params) request.params = shape.params;
    if (shape.query) request.query = shape.query;
    if (spec.bodyType === "multipart" || spec.files) {
      request.body = {
        required: true,
        content: {
          "multipart/form-data": {
            schema: multipartSchema(shape.body, spec.files ?? {}),
          },
        },
      };
    } else if (shape.body) {
      // The same fields arrive as JSON, urlencoded or a text-only form.
      const schema = fieldsOf(shape.body);
      request.body = {
        // A body whose fields are all optional (refresh-token, logout) may be left out.
        required: !shape.body.safeParse({}).success,
        content: {
          "application/json": { schema },
          "application/x-www-form-urlencoded": { schema },
          "multipart/form-data": { schema },
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
  cachedDocument ??= new OpenApiGeneratorV31(
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
  return cachedDocument;
}
