import { validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { api } from "./helpers/http.js";

describe("the API document", () => {
  it("serves an OpenAPI 3.1 document that a validator accepts", async () => {
    const response = await api().get("/api-docs/openapi.json");
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(response.body));
    expect(result.valid, JSON.stringify(result)).toBe(true);
  });

  it("lists the healthcheck", async () => {
    const response = await api().get("/api-docs/openapi.json");
    expect(response.body.paths).toHaveProperty("/api/v1/healthcheck");
  });

  it("serves interactive documentation at /api-docs", async () => {
    const response = await api().get("/api-docs/");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/text\/html/);
    expect(response.text).toContain("swagger-ui");
  });
});
