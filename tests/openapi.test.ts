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

  it.each([
    ["get", "/api/v1/healthcheck"],
    ["post", "/api/v1/users/register"],
    ["post", "/api/v1/users/login"],
    ["post", "/api/v1/users/logout"],
    ["post", "/api/v1/users/refresh-token"],
    ["post", "/api/v1/users/change-password"],
    ["get", "/api/v1/users/current-user"],
    ["patch", "/api/v1/users/update-account"],
    ["patch", "/api/v1/users/avatar"],
    ["patch", "/api/v1/users/cover-image"],
    ["get", "/api/v1/users/c/{username}"],
    ["get", "/api/v1/users/history"],
  ])("lists %s %s", async (method, path) => {
    const response = await api().get("/api-docs/openapi.json");
    expect(response.body.paths[path]).toHaveProperty(method);
  });

  it("serves interactive documentation at /api-docs", async () => {
    const response = await api().get("/api-docs/");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/text\/html/);
    expect(response.text).toContain("swagger-ui");
  });
});
