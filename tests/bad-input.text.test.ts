// Every text field of every operation, tried with the characters that break
// storage or display. The rule (README "Text fields"): any well-formed Unicode
// is kept exactly as sent; control characters other than tab and line breaks
// (NUL among them) and lone surrogates are a 400 naming the field.
import type { Response } from "supertest";
import { describe, expect, it } from "vitest";
import { config } from "../src/config.js";
import {
  createComment,
  createPlaylist,
  createTweet,
} from "./helpers/content.factories.js";
import { expectFieldError } from "./helpers/assertions.js";
import {
  createUser,
  createVideo,
  DEFAULT_PASSWORD,
  type TestUser,
} from "./helpers/factories.js";
import {
  NOT_TEXT_CHARACTERS,
  NOT_TEXT_CHARACTERS_IN_FORMS,
  UNUSUAL_TEXT,
} from "./helpers/bad-inputs.js";
import { api, API, expectErrorEnvelope } from "./helpers/http.js";
import { newAccount, register } from "./helpers/registration.js";
import {
  attachVideoFiles,
  expectEmptyDir,
  storedFiles,
} from "./helpers/media.js";

interface TextField {
  /** The operation and field, as the test name shows it. */
  name: string;
  field: string;
  /** Sends `value` in `field` as `user`, on a target made for the test. */
  send: (user: TestUser, value: string) => Promise<Response>;
  kept: (body: { data: Record<string, unknown> }) => unknown;
}

/** A text field of a JSON body; the method is the name's first word. */
const jsonField = (
  name: `${"POST" | "PATCH"} /${string}`,
  field: string,
  urlFor: (user: TestUser) => Promise<string> | string,
  extra: Record<string, string> = {}
): TextField => ({
  name,
  field,
  send: async (user, value) => {
    const url = `${API}${await urlFor(user)}`;
    const request = name.startsWith("POST")
      ? api().post(url)
      : api().patch(url);
    return request
      .set("Authorization", user.bearer)
      .send({ ...extra, [field]: value });
  },
  kept: (body) => body.data[field],
});

const tweetUrl = async (user: TestUser) =>
  `/tweets/${String((await createTweet(user))._id)}`;
const videoUrl = async (user: TestUser) =>
  `/videos/${String((await createVideo(user))._id)}`;
const commentsUrl = async (user: TestUser) =>
  `/comments/${String((await createVideo(user))._id)}`;
const commentUrl = async (user: TestUser) =>
  `/comments/c/${String((await createComment(user, await createVideo(user)))._id)}`;
const playlistUrl = async (user: TestUser) =>
  `/playlist/${String((await createPlaylist(user))._id)}`;

const TEXT_FIELDS: TextField[] = [
  jsonField(
    "PATCH /users/update-account",
    "fullName",
    () => "/users/update-account"
  ),
  jsonField("POST /tweets", "content", () => "/tweets"),
  jsonField("PATCH /tweets/:tweetId", "content", tweetUrl),
  jsonField("POST /comments/:videoId", "content", commentsUrl),
  jsonField("PATCH /comments/c/:commentId", "content", commentUrl),
  jsonField("POST /playlist", "name", () => "/playlist"),
  jsonField("POST /playlist", "description", () => "/playlist", {
    name: "A playlist",
  }),
  jsonField("PATCH /playlist/:playlistId", "name", playlistUrl),
  jsonField("PATCH /playlist/:playlistId", "description", playlistUrl),
  jsonField("PATCH /videos/:videoId", "title", videoUrl),
  jsonField("PATCH /videos/:videoId", "description", videoUrl),
];

describe.each(TEXT_FIELDS)("$name $field", ({ field, send, kept }) => {
  it.each(NOT_TEXT_CHARACTERS)(
    "refuses %s with a 400 naming the field",
    async (_why, value) => {
      const user = await createUser();
      expectFieldError(await send(user, value), field);
    }
  );

  it.each(UNUSUAL_TEXT)("keeps %s exactly as sent", async (_why, value) => {
    const user = await createUser();
    const response = await send(user, value);
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
    expect(kept(response.body)).toBe(value);
  });
});

describe("passwords", () => {
  it.each(NOT_TEXT_CHARACTERS)(
    "login refuses %s in the password with a 400, not a bcrypt comparison",
    async (_why, value) => {
      const user = await createUser();
      const response = await api()
        .post(`${API}/users/login`)
        .send({
          username: user.user.username,
          password: `${DEFAULT_PASSWORD}${value}`,
        });
      expectFieldError(response, "password");
    }
  );

  it.each(
    ["oldPassword", "newPassword"].flatMap((field) =>
      NOT_TEXT_CHARACTERS.map(([why, value]) => [field, why, value] as const)
    )
  )("change-password refuses %s with %s", async (field, _why, value) => {
    const user = await createUser();
    const body: Record<string, string> = {
      oldPassword: DEFAULT_PASSWORD,
      newPassword: "a new good password",
    };
    body[field] = `${body[field]}${value}`;
    const response = await api()
      .post(`${API}/users/change-password`)
      .set("Authorization", user.bearer)
      .send(body);
    expectFieldError(response, field);
  });
});

describe("the search text of GET /videos", () => {
  // A lone surrogate cannot be percent-encoded: that is invalid UTF-8
  // (tests/bad-input.encoding.test.ts).
  it.each(NOT_TEXT_CHARACTERS_IN_FORMS)(
    "refuses %s with a 400 naming query",
    async (_why, value) => {
      const response = await api().get(`${API}/videos`).query({ query: value });
      expectFieldError(response, "query");
    }
  );

  it.each(UNUSUAL_TEXT)(
    "finds a title with %s by that text",
    async (_why, value) => {
      const owner = await createUser();
      const video = await createVideo(owner, { title: `Title ${value} end` });
      const response = await api()
        .get(`${API}/videos`)
        .query({ query: value, userId: owner.id });
      expect(response.status).toBe(200);
      expect(
        response.body.data.docs.map((doc: { _id: string }) => doc._id)
      ).toEqual([String(video._id)]);
    }
  );

  it("answers a channel name with a NUL byte with 400", async () => {
    expectErrorEnvelope(await api().get(`${API}/users/c/abc%00def`), 400);
  });
});

describe("multipart text fields", () => {
  it.each(
    ["fullName", "password", "username", "email"].flatMap((field) =>
      NOT_TEXT_CHARACTERS_IN_FORMS.map(
        ([why, value]) => [field, why, value] as const
      )
    )
  )(
    "register refuses %s with %s, keeping no file",
    async (field, _why, value) => {
      const fields = newAccount("text");
      const request = register({
        ...fields,
        [field]: `${fields[field as keyof typeof fields]}${value}`,
      });
      expectFieldError(await request, field);
      await expectEmptyDir(config.uploads.tempDir);
      expect(await storedFiles()).toEqual([]);
    }
  );

  it.each(
    ["title", "description"].flatMap((field) =>
      NOT_TEXT_CHARACTERS_IN_FORMS.map(
        ([why, value]) => [field, why, value] as const
      )
    )
  )(
    "POST /videos refuses %s with %s, keeping no file",
    async (field, _why, value) => {
      const owner = await createUser();
      const fields: Record<string, string> = {
        title: "A title",
        description: "A description",
      };
      fields[field] = `${fields[field]}${value}`;
      let request = api()
        .post(`${API}/videos`)
        .set("Authorization", owner.bearer);
      for (const [name, text] of Object.entries(fields))
        request = request.field(name, text);
      expectFieldError(await attachVideoFiles(request), field);
      await expectEmptyDir(config.uploads.tempDir);
      expect(await storedFiles()).toEqual([]);
    }
  );

  it("register keeps a full name with unusual Unicode exactly as sent", async () => {
    const fields = {
      ...newAccount("text"),
      fullName: UNUSUAL_TEXT.map(([, value]) => value).join(" "),
    };
    const response = await register(fields);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.data.fullName).toBe(fields.fullName);
  });
});
