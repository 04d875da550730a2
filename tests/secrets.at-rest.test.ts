// What the database holds of a user's secrets: hashes only, of the strength
// SECURITY.md asks for.
import { createHash } from "node:crypto";
import { Types } from "mongoose";
import { describe, expect, it } from "vitest";
import { Session } from "../src/models/session.model.js";
import { User } from "../src/models/user.model.js";
import { createUser } from "./helpers/factories.js";
import { api, API } from "./helpers/http.js";

const sha256 = (text: string) =>
  createHash("sha256").update(text).digest("hex");

const login = (username: string, password: string) =>
  api().post(`${API}/users/login`).send({ username, password });

describe("secrets at rest", () => {
  it("stores a password only as a bcrypt hash of cost 10 to 12", async () => {
    const alice = await createUser({ password: "a password at rest" });
    const stored = await User.collection.findOne({
      _id: new Types.ObjectId(alice.id),
    });
    expect(JSON.stringify(stored)).not.toContain("a password at rest");
    expect(stored?.password).toMatch(/^\$2[aby]\$1[0-2]\$/);
  });

  it("stores each sign-in's refresh token only as its SHA-256 hash, one session each", async () => {
    const alice = await createUser();
    const tokens: string[] = [];
    for (let device = 0; device < 2; device++) {
      const response = await login(alice.user.username, alice.password);
      expect(response.status).toBe(200);
      tokens.push(response.body.data.refreshToken as string);
    }
    const sessions = await Session.collection
      .find({ user: new Types.ObjectId(alice.id) })
      .toArray();
    // The factory's own session and the two sign-ins.
    expect(sessions).toHaveLength(3);
    const text = JSON.stringify(sessions);
    for (const token of tokens) {
      expect(text).not.toContain(token);
      expect(sessions.map((session) => session.refreshTokenHash)).toContain(
        sha256(token)
      );
    }
  });
});
