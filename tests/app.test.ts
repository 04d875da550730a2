import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  errorHandler,
  notFoundHandler,
} from "../src/middlewares/error.middleware.js";
import { inputOf, validate } from "../src/middlewares/validate.middleware.js";
import { asyncHandler } from "../src/utils/asyncHandler.js";
import { api, API, expectErrorEnvelope } from "./helpers/http.js";

describe("the app's middleware chain", () => {
  it("answers an unknown route with a JSON 404, not an HTML page", async () => {
    const response = await api()
      .get("/no/such/route")
      .set("Accept", "text/html");
    const body = expectErrorEnvelope(response, 404);
    expect(body.message).toContain("/no/such/route");
  });

  it("answers a method a documented path does not take with 405 and Allow", async () => {
    const listing = await api().trace(`${API}/videos`);
    expect(expectErrorEnvelope(listing, 405).message).toContain("GET, POST");
    expect(listing.headers.allow).toBe("GET, POST");
    const oneVideo = await api().put(`${API}/Videos/6650f3c2a1b2c3d4e5f60718/`);
    expectErrorEnvelope(oneVideo, 405);
    expect(oneVideo.headers.allow).toBe("GET, DELETE, PATCH");
    const unknown = await api().put(`${API}/videos/a/b/c`);
    expectErrorEnvelope(unknown, 404);
    expect(unknown.headers.allow).toBeUndefined();
  });

  it("answers malformed JSON with a JSON 400", async () => {
    const response = await api()
      .post(`${API}/healthcheck`)
      .set("Content-Type", "application/json")
      .send('{"name": ');
    expect(expectErrorEnvelope(response, 400).message).toMatch(
      /malformed json/i
    );
  });

  it("answers a 17kb JSON body with 413", async () => {
    const response = await api()
      .post(`${API}/healthcheck`)
      .set("Content-Type", "application/json")
      .send(JSON.stringify({ text: "x".repeat(17 * 1024) }));
    expectErrorEnvelope(response, 413);
  });

  it("answers a 17kb urlencoded body with 413", async () => {
    const response = await api()
      .post(`${API}/healthcheck`)
      .type("form")
      .send(`text=${"x".repeat(17 * 1024)}`);
    expectErrorEnvelope(response, 413);
  });

  it("answers a body of an unsupported content type with 415", async () => {
    const response = await api()
      .post(`${API}/healthcheck`)
      .set("Content-Type", "text/plain")
      .send("hello");
    expectErrorEnvelope(response, 415);
  });

  it("answers an unsupported charset with 415", async () => {
    const response = await api()
      .post(`${API}/healthcheck`)
      .set("Content-Type", "application/json; charset=iso-8859-1")
      .send("{}");
    expectErrorEnvelope(response, 415);
  });

  it("sets security headers and hides x-powered-by", async () => {
    const response = await api().get(`${API}/healthcheck`);
    expect(response.headers["x-powered-by"]).toBeUndefined();
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["content-security-policy"]).toBeDefined();
    expect(response.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps a well-formed incoming request id", async () => {
    const response = await api()
      .get(`${API}/healthcheck`)
      .set("X-Request-Id", "trace-42");
    expect(response.headers["x-request-id"]).toBe("trace-42");
  });
});

describe("CORS", () => {
  it("allows a listed origin with credentials", async () => {
    const response = await api()
      .options(`${API}/healthcheck`)
      .set("Origin", "http://localhost:5173")
      .set("Access-Control-Request-Method", "POST");
    expect(response.headers["access-control-allow-origin"]).toBe(
      "http://localhost:5173"
    );
    expect(response.headers["access-control-allow-credentials"]).toBe("true");
  });

  it("never reflects an unknown origin, nor answers '*'", async () => {
    const response = await api()
      .get(`${API}/healthcheck`)
      .set("Origin", "https://evil.example");
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

// The middlewares below are the real ones, mounted on a minimal app so that a
// handler can fail on purpose.
function appWith(router: express.Router) {
  const probe = express();
  probe.use(express.json({ limit: "16kb" }));
  probe.use(router);
  probe.use(notFoundHandler);
  probe.use(errorHandler);
  return probe;
}

describe("asyncHandler", () => {
  it("returns a handler (the notes' version returned undefined)", () => {
    expect(typeof asyncHandler(async () => undefined)).toBe("function");
  });

  it("turns a rejected handler into a JSON 500 with a request id and no stack", async () => {
    const router = express.Router();
    router.get(
      "/boom",
      asyncHandler(async () => {
        throw new Error("secret internals");
      })
    );
    const response = await request(appWith(router)).get("/boom");
    const body = expectErrorEnvelope(response, 500);
    expect(body.message).toBe("Internal server error");
    expect(JSON.stringify(response.body)).not.toContain("secret internals");
    expect(response.body).toHaveProperty("requestId");
  });

  it("passes a synchronous throw to the error handler too", async () => {
    const router = express.Router();
    router.get(
      "/sync",
      asyncHandler(() => {
        throw new SyntaxError("sync");
      })
    );
    expectErrorEnvelope(await request(appWith(router)).get("/sync"), 500);
  });
});

describe("validate()", () => {
  const shape = {
    params: z.object({ id: z.string().regex(/^\d+$/) }),
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(10),
    }),
    body: z.object({
      name: z.string().trim().min(1),
      tags: z.array(z.string()).max(3).default([]),
    }),
  };
  const router = express.Router();
  router.post("/items/:id", validate(shape), (_req, res) => {
    res.json(inputOf(res, shape));
  });
  const probe = appWith(router);

  it("hands on the parsed values and drops unknown fields", async () => {
    const response = await request(probe)
      .post("/items/7?limit=20")
      .send({ name: "  pen ", role: "admin" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      params: { id: "7" },
      query: { limit: 20 },
      body: { name: "pen", tags: [] },
    });
  });

  it("names every bad field in errors[]", async () => {
    const response = await request(probe)
      .post("/items/x?limit=0")
      .send({ name: "" });
    const body = expectErrorEnvelope(response, 400);
    expect(body.errors.map((error) => error.path).sort()).toEqual([
      "id",
      "limit",
      "name",
    ]);
  });

  it("rejects query operator injection such as a[$ne]=x", async () => {
    const response = await request(probe)
      .post("/items/1?limit[$gt]=0")
      .send({ name: "x" });
    expect(response.status).toBe(200);
    expect(response.body.query).toEqual({ limit: 10 });
    const nested = await request(probe)
      .post("/items/1")
      .send({ name: { $ne: "" } });
    expectErrorEnvelope(nested, 400);
  });

  it("ignores prototype-pollution keys", async () => {
    const response = await request(probe)
      .post("/items/1")
      .set("Content-Type", "application/json")
      .send(
        '{"name":"x","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'
      );
    expect(response.status).toBe(200);
    expect(response.body.body).toEqual({ name: "x", tags: [] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const form = await api()
      .post(`${API}/healthcheck`)
      .type("form")
      .send("__proto__[polluted]=1&constructor[prototype][polluted]=1");
    expectErrorEnvelope(form, 405);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
