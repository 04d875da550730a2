import { describe, expect, it } from "vitest";
import { Subscription } from "../src/models/subscription.model.js";
import { createUser, publicViewOf } from "./helpers/factories.js";
import { api, API, expectErrorEnvelope } from "./helpers/http.js";

describe("PATCH /users/update-account", () => {
  it("changes the full name and the email, stored lowercase", async () => {
    const alice = await createUser();
    const response = await api()
      .patch(`${API}/users/update-account`)
      .set("Authorization", alice.bearer)
      .send({ fullName: "  Alice Liddell ", email: "Alice.New@Example.COM" });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      fullName: "Alice Liddell",
      email: "alice.new@example.com",
    });
    expect(JSON.stringify(response.body)).not.toContain("password");
  });

  it("accepts the course's `fullname` spelling", async () => {
    const alice = await createUser();
    const response = await api()
      .patch(`${API}/users/update-account`)
      .set("Authorization", alice.bearer)
      .send({ fullname: "Alice From Postman" });
    expect(response.status).toBe(200);
    expect(response.body.data.fullName).toBe("Alice From Postman");
  });

  it("answers 409 for an email another account has, in any letter case", async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const response = await api()
      .patch(`${API}/users/update-account`)
      .set("Authorization", alice.bearer)
      .send({ email: bob.user.email.toUpperCase() });
    expect(expectErrorEnvelope(response, 409).errors[0]?.path).toBe("email");
  });

  it("keeps the user's own email without a conflict", async () => {
    const alice = await createUser();
    const response = await api()
      .patch(`${API}/users/update-account`)
      .set("Authorization", alice.bearer)
      .send({ email: alice.user.email });
    expect(response.status).toBe(200);
  });

  it("ignores fields that are not allowed to change (no mass assignment)", async () => {
    const alice = await createUser();
    const response = await api()
      .patch(`${API}/users/update-account`)
      .set("Authorization", alice.bearer)
      .send({
        fullName: "Alice",
        username: "hacker",
        password: "owned-owned",
        _id: "x",
      });
    expect(response.status).toBe(200);
    expect(response.body.data.username).toBe(alice.user.username);
    const login = await api()
      .post(`${API}/users/login`)
      .send({ email: alice.user.email, password: alice.password });
    expect(login.status).toBe(200);
  });

  it("answers 401 without a token", async () => {
    expectErrorEnvelope(
      await api().patch(`${API}/users/update-account`).send({ fullName: "x" }),
      401
    );
  });
});

describe("GET /users/c/:username", () => {
  it("shows counts and no email to an anonymous viewer", async () => {
    const [channel, fan, other] = [
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    await Subscription.create([
      { subscriber: fan.id, channel: channel.id },
      { subscriber: other.id, channel: channel.id },
      { subscriber: channel.id, channel: fan.id },
    ]);
    const response = await api().get(
      `${API}/users/c/${channel.user.username.toUpperCase()}`
    );
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      ...publicViewOf(channel),
      subscribersCount: 2,
      channelsSubscribedToCount: 1,
      isSubscribed: false,
    });
  });

  it("says whether the signed-in viewer subscribes", async () => {
    const [channel, fan, stranger] = [
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    await Subscription.create({ subscriber: fan.id, channel: channel.id });
    const url = `${API}/users/c/${channel.user.username}`;
    expect(
      (await api().get(url).set("Authorization", fan.bearer)).body.data
        .isSubscribed
    ).toBe(true);
    expect(
      (await api().get(url).set("Authorization", stranger.bearer)).body.data
        .isSubscribed
    ).toBe(false);
  });

  it("answers 404 for an unknown channel and 400 for an invalid username", async () => {
    expectErrorEnvelope(await api().get(`${API}/users/c/nobody_here`), 404);
    expectErrorEnvelope(await api().get(`${API}/users/c/a`), 400);
    expectErrorEnvelope(
      await api().get(`${API}/users/c/${encodeURIComponent("bad name!")}`),
      400
    );
  });
});
