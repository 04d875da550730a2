import { config } from "../src/config.js";
import { expectEmptyDir, storedFiles } from "./helpers/media.js";
import { describe, expect, it } from "vitest";
import {
  createUser,
  DEFAULT_PASSWORD,
  type TestUser,
} from "./helpers/factories.js";
import { expectFieldError } from "./helpers/assertions.js";
import { paddedOverLimit } from "./helpers/bad-inputs.js";
import { api, API, expectErrorEnvelope } from "./helpers/http.js";
import { register } from "./helpers/registration.js";

type Case = [description: string, body: unknown, badPath: string];

const expect400 = async (
  request: () => ReturnType<ReturnType<typeof api>["post"]>,
  badPath: string
) => {
  expectFieldError(await request(), badPath);
};

describe("POST /users/login rejects bad input with 400", () => {
  const cases: Case[] = [
    ["no identifier", { password: DEFAULT_PASSWORD }, "email"],
    [
      "an invalid email",
      { email: "not-an-email", password: DEFAULT_PASSWORD },
      "email",
    ],
    [
      "an email as an object (operator injection)",
      { email: { $ne: "" }, password: "x" },
      "email",
    ],
    [
      "a username with bad characters",
      { username: "bad name!", password: "x" },
      "username",
    ],
    [
      "a username with spaces around it",
      { username: " param_tester ", password: DEFAULT_PASSWORD },
      "username",
    ],
    [
      "an email with spaces around it",
      { email: " param.tester@example.com ", password: DEFAULT_PASSWORD },
      "email",
    ],
    ["no password", { email: "a@example.com" }, "password"],
    ["an empty password", { email: "a@example.com", password: "" }, "password"],
    [
      "a password as an object",
      { email: "a@example.com", password: { $gt: "" } },
      "password",
    ],
    [
      "a password as a number",
      { email: "a@example.com", password: 12345678 },
      "password",
    ],
  ];
  it.each(cases)("%s", async (_description, body, badPath) => {
    await expect400(
      () =>
        api()
          .post(`${API}/users/login`)
          .send(body as object),
      badPath
    );
  });

  it("rejects a JSON array body", async () => {
    expectErrorEnvelope(
      await api().post(`${API}/users/login`).send([1, 2]),
      400
    );
  });
});

describe("authenticated user endpoints reject bad input with 400", () => {
  let alice: TestUser;
  const signedIn = async () => (alice ??= await createUser());

  const changePassword: Case[] = [
    [
      "a new password under 8 characters",
      { oldPassword: DEFAULT_PASSWORD, newPassword: "short" },
      "newPassword",
    ],
    [
      "a new password of 4 characters in 8 bytes (the document counts characters)",
      {
        oldPassword: DEFAULT_PASSWORD,
        newPassword: "\u00cf\u00cf\u00cf\u00cf",
      },
      "newPassword",
    ],
    [
      "a new password over 72 bytes (bcrypt would ignore the rest)",
      { oldPassword: DEFAULT_PASSWORD, newPassword: "p".repeat(73) },
      "newPassword",
    ],
    [
      "a new password of 25 emoji (100 bytes, 25 characters)",
      { oldPassword: DEFAULT_PASSWORD, newPassword: "😀".repeat(25) },
      "newPassword",
    ],
    ["no old password", { newPassword: "long enough password" }, "oldPassword"],
    ["no new password", { oldPassword: DEFAULT_PASSWORD }, "newPassword"],
  ];
  it.each(changePassword)("change-password: %s", async (_d, body, badPath) => {
    const user = await signedIn();
    await expect400(
      () =>
        api()
          .post(`${API}/users/change-password`)
          .set("Authorization", user.bearer)
          .send(body as object),
      badPath
    );
  });

  const updateAccount: Case[] = [
    ["nothing to change", {}, "fullName"],
    ["an empty full name", { fullName: "   " }, "fullName"],
    [
      "a full name over 100 characters",
      { fullName: "x".repeat(101) },
      "fullName",
    ],
    [
      "a full name over 100 characters only because of padding",
      { fullName: paddedOverLimit(100)[1] },
      "fullName",
    ],
    ["an invalid email", { email: "nope" }, "email"],
    ["an email as an array", { email: ["a@example.com"] }, "email"],
  ];
  it.each(updateAccount)("update-account: %s", async (_d, body, badPath) => {
    const user = await signedIn();
    const response = await api()
      .patch(`${API}/users/update-account`)
      .set("Authorization", user.bearer)
      .send(body as object);
    expect(
      expectErrorEnvelope(response, 400).errors.map((e) => e.path)
    ).toContain(badPath);
  });

  it("refresh-token: a token that is not a string", async () => {
    await expect400(
      () =>
        api()
          .post(`${API}/users/refresh-token`)
          .send({ refreshToken: { $ne: "" } }),
      "refreshToken"
    );
  });

  it("history: page 0 and limit 101", async () => {
    const user = await signedIn();
    for (const query of ["page=0", "limit=101", "limit=0", "page=x"]) {
      const response = await api()
        .get(`${API}/users/history?${query}`)
        .set("Authorization", user.bearer);
      expectErrorEnvelope(response, 400);
    }
  });
});

describe("POST /users/register rejects each bad field with 400, keeping nothing", () => {
  const valid = {
    fullName: "Param Tester",
    email: "param.tester@example.com",
    username: "param_tester",
    password: "a good password",
  };
  const cases: [string, Record<string, string>, string][] = [
    ["a username under 3 characters", { username: "ab" }, "username"],
    ["a username over 30 characters", { username: "a".repeat(31) }, "username"],
    ["a username with a space", { username: "bad name" }, "username"],
    ["a username with a slash", { username: "../admin" }, "username"],
    ["a username after a space", { username: " param_tester" }, "username"],
    [
      "a username with the Kelvin sign, which lowercases to k",
      { username: "\u212aelvin" },
      "username",
    ],
    ["an email after a space", { email: " a@example.com" }, "email"],
    [
      "an email with the Kelvin sign, which lowercases to k",
      { email: "\u212a@example.com" },
      "email",
    ],
    ["an invalid email", { email: "no-at-sign" }, "email"],
    ["a password under 8 characters", { password: "short" }, "password"],
    [
      "a password of 4 characters in 8 bytes",
      { password: "\u00cf\u00cf\u00cf\u00cf" },
      "password",
    ],
    ["a password over 72 bytes", { password: "p".repeat(73) }, "password"],
    ["a blank full name", { fullName: "   " }, "fullName"],
    [
      "a full name over 100 characters",
      { fullName: "x".repeat(101) },
      "fullName",
    ],
    [
      "a full name over 100 characters only because of padding",
      { fullName: paddedOverLimit(100)[1] },
      "fullName",
    ],
  ];
  it.each(cases)("%s", async (_description, change, badPath) => {
    const request = register({ ...valid, ...change });
    const body = expectErrorEnvelope(await request, 400);
    expect(body.errors.map((error) => error.path)).toContain(badPath);
    await expectEmptyDir(config.uploads.tempDir);
    expect(await storedFiles()).toEqual([]);
  });

  it("a missing full name (neither fullName nor fullname)", async () => {
    const { fullName: _omitted, ...rest } = valid;
    const request = register(rest);
    expect(
      expectErrorEnvelope(await request, 400).errors.map((e) => e.path)
    ).toContain("fullName");
  });

  it("a missing full name is reported beside another bad field, in one answer", async () => {
    const { fullName: _omitted, ...rest } = valid;
    const request = register({ ...rest, email: "bad" });
    const paths = expectErrorEnvelope(await request, 400).errors.map(
      (e) => e.path
    );
    expect(paths.sort()).toEqual(["email", "fullName"]);
  });
});
