import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "./helpers/factories.js";
import { api } from "./helpers/http.js";
import { mountedRoutes, type MountedRoute } from "./helpers/mountedRoutes.js";
import {
  examplePlaces,
  invalidExamples,
  looseSuccessData,
  missingExamples,
  missingStatuses,
} from "./helpers/openapiContract.js";
import {
  closedValidator,
  fetchDocument,
  operationsOf,
  successOf,
  type JsonSchema,
  type OpenApiDocument,
  type Operation,
} from "./helpers/openapiDocument.js";

/**
 * The document is the contract, so each operation must say all of it: an
 * example of every answer and of every JSON or form body, each valid against
 * its own schema; a success `data` with a concrete shape; 401 wherever a
 * token is read; 429 wherever a rate limit is mounted. Each check
 * (helpers/openapiContract.ts) also runs on broken copies of the document,
 * so a check that could never fail would show.
 */

let document: OpenApiDocument;
let mounted: MountedRoute[];

/** Sends a JSON body to an operation as a signed-in user, path ids from the examples. */
async function sendJson(key: string, documented: Operation, body: unknown) {
  const [method = "", template = ""] = key.split(" ");
  const path = template.replace(/\{(\w+)\}/g, (_match, name: string) =>
    String(
      documented.parameters?.find((candidate) => candidate.name === name)
        ?.schema.example
    )
  );
  // A user of its own: the logout and change-password examples end sessions.
  const someone = await createUser();
  const agent = api();
  const verb = method.toLowerCase() as "post" | "patch";
  return agent[verb](path)
    .set("Authorization", someone.bearer)
    .send(body as object);
}

beforeAll(async () => {
  document = await fetchDocument();
  mounted = mountedRoutes();
});

const broken = (change: (copy: OpenApiDocument) => void) => {
  const copy = structuredClone(document);
  change(copy);
  return copy;
};
const operation = (copy: OpenApiDocument, method: string, path: string) => {
  const found = copy.paths[path]?.[method];
  if (!found) throw new Error(`no ${method} ${path} in the document`);
  return found;
};
const successMedia = (copy: OpenApiDocument, method: string, path: string) => {
  const media = successOf(operation(copy, method, path))?.media;
  if (!media) throw new Error(`no success answer for ${method} ${path}`);
  return media;
};

describe("the document's examples", () => {
  it("gives an example for every answer and every JSON or form body", () => {
    expect(examplePlaces(document).length).toBeGreaterThan(200);
    expect(missingExamples(document)).toEqual([]);
  });

  it("gives examples that validate against their own schemas", () => {
    expect(invalidExamples(document)).toEqual([]);
  });

  it("uses realistic values: 24-hex ids, ISO dates, /uploads media URLs", () => {
    const example = successMedia(document, "get", "/api/v1/videos/{videoId}")
      .example as { data: Record<string, unknown> };
    expect(example.data._id).toMatch(/^[0-9a-f]{24}$/);
    expect(example.data.createdAt).toBe(
      new Date(String(example.data.createdAt)).toISOString()
    );
    expect(example.data.thumbnail).toMatch(
      /^\/uploads\/image\/[0-9a-f]{32}\.png$/
    );
  });

  it("gives request examples that the API's own validation accepts", async () => {
    const rejected: string[] = [];
    let sent = 0;
    for (const { key, operation: documented } of operationsOf(document)) {
      const media = documented.requestBody?.content["application/json"];
      if (media?.example === undefined) continue;
      const response = await sendJson(key, documented, media.example);
      sent += 1;
      // Past validation the example may still be refused (an id nobody
      // has is a 404, the example user cannot sign in): only validate()'s
      // 400 means the example itself is wrong.
      if (response.body.message === "Validation failed")
        rejected.push(`${key}: ${JSON.stringify(response.body.errors)}`);
      // A signed-in route's 401 would mean validation never ran.
      if (response.status === 401 && documented.security)
        rejected.push(`${key}: 401 ${response.body.message}`);
    }
    expect(sent).toBeGreaterThanOrEqual(10);
    expect(rejected).toEqual([]);
  });

  it("refuses an empty body wherever the API's validation does", async () => {
    const compile = closedValidator(document);
    const understated: string[] = [];
    for (const { key, operation: documented } of operationsOf(document)) {
      const media = documented.requestBody?.content["application/json"];
      if (!media?.schema) continue;
      const response = await sendJson(key, documented, {});
      const schemaAccepts = compile(media.schema)({});
      if (response.body.message === "Validation failed" && schemaAccepts)
        understated.push(`${key}: ${JSON.stringify(response.body.errors)}`);
    }
    expect(understated).toEqual([]);
  });

  it("reports an answer or a body without an example", () => {
    const copy = broken((doc) => {
      delete successMedia(doc, "get", "/api/v1/dashboard/stats").example;
      const login = operation(doc, "post", "/api/v1/users/login");
      delete login.requestBody?.content["application/json"]?.example;
    });
    expect(missingExamples(copy).sort()).toEqual([
      "GET /api/v1/dashboard/stats answer 200 has no example",
      "POST /api/v1/users/login body application/json has no example",
    ]);
  });

  it("reports an example that its schema refuses", () => {
    const copy = broken((doc) => {
      const media = successMedia(doc, "get", "/api/v1/tweets/user/{userId}");
      const example = media.example as { data: { docs: { _id: unknown }[] } };
      (example.data.docs[0] as { _id: unknown })._id = 42;
      (example as Record<string, unknown>).extra = "undocumented";
    });
    const problems = invalidExamples(copy);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^GET \/api\/v1\/tweets\/user\/\{userId\} answer 200/
    );
  });
});

describe("the document's success data", () => {
  it("gives every success answer a data schema of a concrete shape", () => {
    expect(looseSuccessData(document)).toEqual([]);
  });

  it("reports data that is unknown, an open empty object or an untyped record", () => {
    const copy = broken((doc) => {
      const stats = successMedia(doc, "get", "/api/v1/dashboard/stats");
      (stats.schema?.properties as Record<string, JsonSchema>).data = {};
      const logout = successMedia(doc, "post", "/api/v1/users/logout");
      (logout.schema?.properties as Record<string, JsonSchema>).data = {
        type: "object",
        properties: {},
      };
      const toggle = successMedia(
        doc,
        "post",
        "/api/v1/subscriptions/c/{channelId}"
      );
      (toggle.schema?.properties as Record<string, JsonSchema>).data = {
        type: "object",
        additionalProperties: {},
      };
    });
    expect(looseSuccessData(copy).sort()).toEqual([
      "GET /api/v1/dashboard/stats data has no type",
      "POST /api/v1/subscriptions/c/{channelId} data[key] has no type",
      "POST /api/v1/users/logout data is an object with no fields that accepts any",
    ]);
  });
});

describe("the document's error statuses", () => {
  it("documents 401 wherever a token is read and 429 wherever a rate limit is mounted", () => {
    expect(mounted.length).toBeGreaterThanOrEqual(40);
    expect(missingStatuses(document, mounted)).toEqual([]);
  });

  it("reports a signed-in or optionally signed-in route without 401, and a limited one without 429", () => {
    const copy = broken((doc) => {
      delete operation(doc, "get", "/api/v1/videos").responses["401"];
      delete operation(doc, "get", "/api/v1/dashboard/stats").responses["401"];
      delete operation(doc, "post", "/api/v1/tweets").responses["429"];
      operation(doc, "get", "/api/v1/healthcheck").responses["429"] = {};
    });
    expect(missingStatuses(copy, mounted).sort()).toEqual([
      "GET /api/v1/dashboard/stats reads a token but documents no 401",
      "GET /api/v1/healthcheck documents 429 but has no rate limit",
      "GET /api/v1/videos reads a token but documents no 401",
      "POST /api/v1/tweets is rate limited but documents no 429",
    ]);
  });
});
