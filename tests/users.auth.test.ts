import { describe, expect, it } from "vitest";
import { User } from "../src/models/user.model.js";
import { createUser, DEFAULT_PASSWORD } from "./helpers/factories.js";
import { api, API, expectErrorEnvelope } from "./helpers/http.js";
import { badAccessTokens } from "./helpers/tokens.js";

const cookiesOf = (response: { headers: Record<string, unknown> }) =>
  ([] as string[]).concat(
    (response.headers["set-cookie"] as string[] | undefined) ?? []
  );

const cookieValue = (
  response: { headers: Record<string, unknown> },
  name: string
) =>
  cookiesOf(response)
    .find((cookie) => cookie.startsWith(`${name}=`))
    ?.split(";")[0]
    ?.slice(name.length + 1);

const expectNoSecrets = (body: unknown) => {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/"password"/);
  expect(text).not.toMatch(/refreshTokenHash|\$2[aby]\$/);
};

describe("POST /users/login", () => {
  it("signs in by email in any letter case, with cookies and tokens", async () => {
    const alice = await createUser();
    const response = await api().post(`${API}/users/login`).send({
      email: alice.user.email.toUpperCase(),
      password: DEFAULT_PASSWORD,
    });
    expect(response.status).toBe(200);
    expect(response.body.data.user).toMatchObject({
      _id: alice.id,
      email: alice.user.email,
    });
    expect(typeof response.body.data.accessToken).toBe("string");
    expectNoSecrets(response.body);
    const cookies = cookiesOf(response);
    expect(cookies.find((c) => c.startsWith("accessToken="))).toMatch(
      /HttpOnly/
    );
    expect(cookies.find((c) => c.startsWith("refreshToken="))).toMatch(
      /SameSite=Lax/
    );
    expect(cookies.join()).not.toMatch(/Secure/);
  });

  it("signs in with a multipart form of text fields, as Postman's form-data sends it", async () => {
    const alice = await createUser();
    const response = await api()
      .post(`${API}/users/login`)
      .field("email", alice.user.email)
      .field("password", DEFAULT_PASSWORD);
    expect(response.status).toBe(200);
    const withFile = await api()
      .post(`${API}/users/login`)
      .field("email", alice.user.email)
      .field("password", DEFAULT_PASSWORD)
      .attach("avatar", Buffer.from("not wanted"), "a.txt");
    expectErrorEnvelope(withFile, 400);
  });

  it("signs in by username", async () => {
    const alice = await createUser();
    const response = await api()
      .post(`${API}/users/login`)
      .send({ username: alice.user.username, password: DEFAULT_PASSWORD });
    expect(response.status).toBe(200);
  });

  it("answers the same 401 for an unknown user and a wrong password", async () => {
    const alice = await createUser();
    const unknown = await api()
      .post(`${API}/users/login`)
      .send({ email: "nobody@example.com", password: DEFAULT_PASSWORD });
    const wrong = await api()
      .post(`${API}/users/login`)
      .send({ email: alice.user.email, password: "wrong password!" });
    expect(expectErrorEnvelope(unknown, 401)).toEqual(
      expectErrorEnvelope(wrong, 401)
    );
  });

  it("takes about as long for an unknown user as for a wrong password", async () => {
    const alice = await createUser();
    const time = async (body: object) => {
      const started = performance.now();
      await api().post(`${API}/users/login`).send(body);
      return performance.now() - started;
    };
    const unknown = await time({
      email: "ghost@example.com",
      password: "whatever123",
    });
    const wrong = await time({
      email: alice.user.email,
      password: "whatever123",
    });
    // Both run one bcrypt compare (tens of ms); a shortcut would be ~1 ms.
    expect(unknown).toBeGreaterThan(wrong * 0.4);
  });

  it("accepts a Bearer access token for authenticated routes", async () => {
    const alice = await createUser();
    const response = await api()
      .get(`${API}/users/current-user`)
      .set("Authorization", alice.bearer);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      _id: alice.id,
      email: alice.user.email,
    });
    expectNoSecrets(response.body);
  });

  it("accepts the access token cookie", async () => {
    const alice = await createUser();
    const response = await api()
      .get(`${API}/users/current-user`)
      .set("Cookie", `accessToken=${alice.accessToken}`);
    expect(response.status).toBe(200);
  });
});

describe("access tokens that must be refused", () => {
  it("answers 401 without a token", async () => {
    expectErrorEnvelope(await api().get(`${API}/users/current-user`), 401);
  });

  it("answers 401 for every bad token", async () => {
    const alice = await createUser();
    for (const [reason, token] of Object.entries(badAccessTokens(alice))) {
      const response = await api()
        .get(`${API}/users/current-user`)
        .set("Authorization", `Bearer ${token}`);
      expect(response.status, reason).toBe(401);
    }
  });

  it("ignores a j: cookie that cookie-parser would turn into an object", async () => {
    const response = await api()
      .get(`${API}/users/current-user`)
      .set("Cookie", `accessToken=j:${encodeURIComponent('{"a":1}')}`);
    expectErrorEnvelope(response, 401);
  });

  it("stops a token of a deleted user on the next request", async () => {
    const alice = await createUser();
    await User.deleteOne({ _id: alice.id });
    const response = await api()
      .get(`${API}/users/current-user`)
      .set("Authorization", alice.bearer);
    expectErrorEnvelope(response, 401);
  });
});

describe("sessions", () => {
  const refresh = (token: string) =>
    api().post(`${API}/users/refresh-token`).send({ refreshToken: token });

  it("rotates the refresh token: the new pair works, the old token does not", async () => {
    const alice = await createUser();
    const rotated = await refresh(alice.refreshToken);
    expect(rotated.status).toBe(200);
    const { accessToken, refreshToken } = rotated.body.data;
    expect(refreshToken).not.toBe(alice.refreshToken);
    expect(cookieValue(rotated, "refreshToken")).toBe(refreshToken);
    const me = await api()
      .get(`${API}/users/current-user`)
      .set("Authorization", `Bearer ${accessToken}`);
    expect(me.status).toBe(200);
    expect((await refresh(refreshToken)).status).toBe(200);
  });

  it("reads the refresh token from its cookie", async () => {
    const alice = await createUser();
    const response = await api()
      .post(`${API}/users/refresh-token`)
      .set("Cookie", `refreshToken=${alice.refreshToken}`);
    expect(response.status).toBe(200);
  });

  it("answers 401 for a missing, an access or a garbage refresh token", async () => {
    const alice = await createUser();
    expectErrorEnvelope(await api().post(`${API}/users/refresh-token`), 401);
    expectErrorEnvelope(await refresh(alice.accessToken), 401);
    expectErrorEnvelope(await refresh("garbage"), 401);
  });

  it("keeps two devices signed in at once, and logout of one keeps the other", async () => {
    const alice = await createUser();
    const login = () =>
      api()
        .post(`${API}/users/login`)
        .send({ email: alice.user.email, password: DEFAULT_PASSWORD });
    const [laptop, phone] = [await login(), await login()];
    const logout = await api()
      .post(`${API}/users/logout`)
      .set("Authorization", `Bearer ${laptop.body.data.accessToken}`);
    expect(logout.status).toBe(200);
    const cleared = cookiesOf(logout);
    expect(cleared.find((c) => c.startsWith("accessToken="))).toMatch(
      /Expires=Thu, 01 Jan 1970.*HttpOnly/
    );
    const laptopAgain = await api()
      .get(`${API}/users/current-user`)
      .set("Authorization", `Bearer ${laptop.body.data.accessToken}`);
    expect(laptopAgain.status).toBe(401);
    expect((await refresh(laptop.body.data.refreshToken)).status).toBe(401);
    const phoneAgain = await api()
      .get(`${API}/users/current-user`)
      .set("Authorization", `Bearer ${phone.body.data.accessToken}`);
    expect(phoneAgain.status).toBe(200);
  });

  it("answers 401 to logout without a token", async () => {
    expectErrorEnvelope(await api().post(`${API}/users/logout`), 401);
  });
});

describe("POST /users/change-password", () => {
  it("changes the password and signs out the other sessions only", async () => {
    const alice = await createUser();
    const other = await api()
      .post(`${API}/users/login`)
      .send({ email: alice.user.email, password: DEFAULT_PASSWORD });
    const response = await api()
      .post(`${API}/users/change-password`)
      .set("Authorization", alice.bearer)
      .send({
        oldPassword: DEFAULT_PASSWORD,
        newPassword: "a brand new password",
      });
    expect(response.status).toBe(200);
    const otherAgain = await api()
      .get(`${API}/users/current-user`)
      .set("Authorization", `Bearer ${other.body.data.accessToken}`);
    expect(otherAgain.status).toBe(401);
    expect(
      (
        await api()
          .get(`${API}/users/current-user`)
          .set("Authorization", alice.bearer)
      ).status
    ).toBe(200);
    const oldLogin = await api()
      .post(`${API}/users/login`)
      .send({ email: alice.user.email, password: DEFAULT_PASSWORD });
    expect(oldLogin.status).toBe(401);
    const newLogin = await api()
      .post(`${API}/users/login`)
      .send({ email: alice.user.email, password: "a brand new password" });
    expect(newLogin.status).toBe(200);
  });

  it("refuses a wrong old password with 400", async () => {
    const alice = await createUser();
    const response = await api()
      .post(`${API}/users/change-password`)
      .set("Authorization", alice.bearer)
      .send({
        oldPassword: "not my password",
        newPassword: "a brand new password",
      });
    expect(expectErrorEnvelope(response, 400).errors[0]?.path).toBe(
      "oldPassword"
    );
  });

  it("answers 401 without a token", async () => {
    const response = await api().post(`${API}/users/change-password`).send({
      oldPassword: DEFAULT_PASSWORD,
      newPassword: "a brand new password",
    });
    expectErrorEnvelope(response, 401);
  });
});
