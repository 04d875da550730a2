import { describe, expect, it, vi } from "vitest";

// A short window, so a test can wait it out.
const GRACE_MS = 400;
vi.hoisted(() => {
  process.env.REFRESH_GRACE_MS = "400";
});

const { RotatedToken } = await import("../src/models/rotatedToken.model.js");
const { Session } = await import("../src/models/session.model.js");
const { createUser, DEFAULT_PASSWORD } = await import("./helpers/factories.js");
const { api, API, expectErrorEnvelope } = await import("./helpers/http.js");

const refresh = (token: string) =>
  api().post(`${API}/users/refresh-token`).send({ refreshToken: token });

const currentUser = (accessToken: string) =>
  api()
    .get(`${API}/users/current-user`)
    .set("Authorization", `Bearer ${accessToken}`);

const pastTheWindow = () =>
  new Promise((resolve) => setTimeout(resolve, GRACE_MS + 200));

describe("refresh token grace window and families", () => {
  it("gives a second refresh with a just-rotated token its own working pair", async () => {
    const alice = await createUser();
    const first = await refresh(alice.refreshToken);
    const second = await refresh(alice.refreshToken);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const tokens = [first.body.data, second.body.data];
    expect(tokens[0].refreshToken).not.toBe(tokens[1].refreshToken);
    for (const pair of tokens) {
      expect((await currentUser(pair.accessToken)).status).toBe(200);
      expect((await refresh(pair.refreshToken)).status).toBe(200);
    }
    // The sibling belongs to the sign-in it came from.
    const sessions = await Session.find({ user: alice.id }).lean();
    expect(sessions).toHaveLength(2);
    expect(new Set(sessions.map((s) => String(s.family))).size).toBe(1);
  });

  it("lets both of two concurrent refreshes with one token through", async () => {
    const alice = await createUser();
    const answers = await Promise.all([
      refresh(alice.refreshToken),
      refresh(alice.refreshToken),
      refresh(alice.refreshToken),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const refreshTokens = answers.map((a) => a.body.data.refreshToken);
    expect(new Set(refreshTokens).size).toBe(3);
    for (const answer of answers)
      expect((await currentUser(answer.body.data.accessToken)).status).toBe(
        200
      );
  });

  it("after the window, ends the reused token's family and keeps the user's other devices", async () => {
    const alice = await createUser();
    const phone = await api()
      .post(`${API}/users/login`)
      .send({ email: alice.user.email, password: DEFAULT_PASSWORD });
    expect(phone.status).toBe(200);
    const rotated = await refresh(alice.refreshToken);
    const sibling = await refresh(alice.refreshToken);
    expect([rotated.status, sibling.status]).toEqual([200, 200]);
    await pastTheWindow();

    const reused = await refresh(alice.refreshToken);
    expect(expectErrorEnvelope(reused, 401).message).toMatch(/reuse/i);
    expect(String(reused.headers["set-cookie"])).toMatch(
      /refreshToken=;.*Expires=Thu, 01 Jan 1970/
    );
    for (const pair of [rotated.body.data, sibling.body.data]) {
      expect((await refresh(pair.refreshToken)).status).toBe(401);
      expect((await currentUser(pair.accessToken)).status).toBe(401);
    }
    expect((await currentUser(phone.body.data.accessToken)).status).toBe(200);
    expect((await refresh(phone.body.data.refreshToken)).status).toBe(200);
    // Nothing of the ended family is left behind.
    const family = alice.sessionId;
    expect(await Session.countDocuments({ family })).toBe(0);
    expect(await RotatedToken.countDocuments({ family })).toBe(0);
    expect(await Session.countDocuments({ user: alice.id })).toBe(1);
  });

  it("after the window, treats a token rotated two steps back as reuse too", async () => {
    const alice = await createUser();
    const once = await refresh(alice.refreshToken);
    const twice = await refresh(once.body.data.refreshToken);
    expect(twice.status).toBe(200);
    await pastTheWindow();
    expectErrorEnvelope(await refresh(once.body.data.refreshToken), 401);
    expect((await currentUser(twice.body.data.accessToken)).status).toBe(401);
  });

  it("answers a refresh of a signed-out session with 401 and no sibling", async () => {
    const alice = await createUser();
    const rotated = await refresh(alice.refreshToken);
    await api()
      .post(`${API}/users/logout`)
      .set("Authorization", `Bearer ${rotated.body.data.accessToken}`)
      .expect(200);
    const again = await refresh(alice.refreshToken);
    expect(expectErrorEnvelope(again, 401).message).toMatch(/invalid|expired/i);
    expect(await Session.countDocuments({ user: alice.id })).toBe(0);
  });
});
