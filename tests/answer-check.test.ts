// The check every supertest answer of the suite passes (tests/setup/per-file.ts):
// shown to catch each leak on a throwaway app that commits it.
import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { api, API } from "./helpers/http.js";

const leaking = (path: string, body: unknown) => {
  const app = express();
  app.use(express.json());
  app.all(path, (req, res) => {
    res.json(typeof body === "function" ? body(req.body) : body);
  });
  return request(app);
};

describe("every answer of the suite is checked for leaks", () => {
  it.each([
    ["a stack field", "/api/v1/videos", { statusCode: 500, stack: "Error: x" }],
    [
      "a stack trace in a message",
      "/api/v1/videos",
      { message: "Error: boom\n    at handler (/app/src/x.ts:10:5)" },
    ],
    ["a password field", "/api/v1/users/c/alice", { data: { password: "x" } }],
    [
      "a bcrypt hash",
      "/api/v1/users/c/alice",
      { data: { secret: "$2b$10$abcdefghijklmnopqrstuv" } },
    ],
    [
      "a refresh token hash",
      "/api/v1/users/current-user",
      { data: { refreshTokenHash: "a".repeat(64) } },
    ],
    [
      "another user's email in a channel profile",
      "/api/v1/users/c/alice",
      { data: { username: "alice", email: "alice@example.com" } },
    ],
    [
      "an owner's email inside a video",
      "/api/v1/videos/x",
      { data: { owner: { email: "owner@example.com" } } },
    ],
  ])("fails a request whose answer holds %s", async (_leak, path, body) => {
    await expect(leaking(path, body).get(path)).rejects.toThrow(/answered 200/);
  });

  it("fails a request whose answer echoes the password it was sent", async () => {
    const path = "/api/v1/users/login";
    await expect(
      leaking(path, (sent: unknown) => ({ data: { sent } }))
        .post(path)
        .send({ username: "alice", password: "correct horse battery" })
    ).rejects.toThrow(/password that was sent/);
  });

  it("lets the caller's own email through where the API answers with the caller", async () => {
    const path = "/api/v1/users/current-user";
    const response = await leaking(path, {
      data: { email: "me@example.com" },
    }).get(path);
    expect(response.status).toBe(200);
  });

  it("passes the real app's answers (the suite runs with the check on)", async () => {
    expect((await api().get(`${API}/healthcheck`)).status).toBe(200);
  });
});
