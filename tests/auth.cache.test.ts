import { describe, expect, it, vi } from "vitest";

// A short bound, so the test can watch it pass; set before the app reads it.
vi.hoisted(() => {
  process.env.AUTH_CACHE_TTL_MS = "300";
});

import { config } from "../src/config.js";
import { Session } from "../src/models/session.model.js";
import { User } from "../src/models/user.model.js";
import { engineName, expireDocuments } from "../src/db/engine/index.js";
import { recordCommands } from "./helpers/content.factories.js";
import { createUser, DEFAULT_PASSWORD } from "./helpers/factories.js";
import { API, api, warmAuth } from "./helpers/http.js";

const currentUser = (bearer: string) =>
  api().get(`${API}/users/current-user`).set("Authorization", bearer);

describe("the auth cache (AUTH_CACHE_TTL_MS)", () => {
  it("reads the configured bound", () => {
    expect(config.auth.cacheTtlMs).toBe(300);
  });

  it("answers a signed-in request without a database command once the session is cached", async () => {
    const alice = await createUser();
    const cold = await recordCommands(() => currentUser(alice.bearer));
    expect(cold.sort()).toEqual(["sessions.findOne", "users.findOne"]);
    const warm = await recordCommands(async () => {
      expect((await currentUser(alice.bearer)).status).toBe(200);
    });
    expect(warm).toEqual([]);
  });

  it("refuses a session at once after a logout on this instance", async () => {
    const alice = await createUser();
    await warmAuth(alice);
    const logout = await api()
      .post(`${API}/users/logout`)
      .set("Authorization", alice.bearer);
    expect(logout.status).toBe(200);
    expect((await currentUser(alice.bearer)).status).toBe(401);
  });

  it("refuses the other sessions at once after a password change on this instance", async () => {
    const alice = await createUser();
    const login = await api()
      .post(`${API}/users/login`)
      .send({ email: alice.user.email, password: DEFAULT_PASSWORD });
    const phone = `Bearer ${login.body.data.accessToken}`;
    await warmAuth({ bearer: phone });
    const change = await api()
      .post(`${API}/users/change-password`)
      .set("Authorization", alice.bearer)
      .send({
        oldPassword: DEFAULT_PASSWORD,
        newPassword: "a new long password",
      });
    expect(change.status).toBe(200);
    expect((await currentUser(phone)).status).toBe(401);
    expect((await currentUser(alice.bearer)).status).toBe(200);
  });

  it("refuses a session another instance ended within the bound", async () => {
    const alice = await createUser();
    await warmAuth(alice);
    // What another instance's logout leaves: the record gone, this cache unaware.
    await Session.deleteOne({ _id: alice.sessionId });
    const ended = Date.now();
    await vi.waitFor(
      async () => expect((await currentUser(alice.bearer)).status).toBe(401),
      { timeout: 2_000, interval: 25 }
    );
    expect(Date.now() - ended).toBeLessThan(config.auth.cacheTtlMs + 500);
  });

  it("shows an account update at once on this instance", async () => {
    const alice = await createUser();
    await warmAuth(alice);
    const update = await api()
      .patch(`${API}/users/update-account`)
      .set("Authorization", alice.bearer)
      .send({ fullName: "Alice Renamed" });
    expect(update.status).toBe(200);
    const current = await currentUser(alice.bearer);
    expect(current.body.data.fullName).toBe("Alice Renamed");
  });

  it("shows another instance's account update within the bound", async () => {
    const alice = await createUser();
    await warmAuth(alice);
    await User.updateOne(
      { _id: alice.id },
      { $set: { fullName: "Elsewhere" } }
    );
    await vi.waitFor(
      async () =>
        expect((await currentUser(alice.bearer)).body.data.fullName).toBe(
          "Elsewhere"
        ),
      { timeout: 2_000, interval: 25 }
    );
  });
});

describe("logins and expired sessions", () => {
  it("costs one user read and one session write per login", async () => {
    const alice = await createUser();
    const commands = await recordCommands(async () => {
      const login = await api()
        .post(`${API}/users/login`)
        .send({ email: alice.user.email, password: DEFAULT_PASSWORD });
      expect(login.status).toBe(200);
    });
    expect(commands).toEqual(["users.findOne", "sessions.insertOne"]);
  });

  it("refuses an expired session, which a TTL index or a sweep deletes", async () => {
    const alice = await createUser();
    await Session.updateOne(
      { _id: alice.sessionId },
      { $set: { expiresAt: new Date(Date.now() - 1000) } }
    );
    expect((await currentUser(alice.bearer)).status).toBe(401);
    const stop = await expireDocuments(Session, "expiresAt", 50);
    try {
      if (engineName() === "mongodb") {
        // The server's TTL monitor deletes it, about once a minute.
        const indexes = await Session.collection.indexes();
        expect(indexes).toContainEqual(
          expect.objectContaining({
            key: { expiresAt: 1 },
            expireAfterSeconds: 0,
          })
        );
        return;
      }
      await vi.waitFor(
        async () =>
          expect(await Session.exists({ _id: alice.sessionId })).toBeNull(),
        { timeout: 3_000, interval: 50 }
      );
    } finally {
      stop();
    }
    expect(await Session.countDocuments({ user: alice.id })).toBe(0);
  });
});
