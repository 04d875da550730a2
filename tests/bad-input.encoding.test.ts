// Bytes that are not UTF-8, in each place text arrives: a clear 400, and
// nothing stored with U+FFFD (or a raw escape) in place of what was sent.
import { describe, expect, it } from "vitest";
import { Tweet } from "../src/models/tweet.model.js";
import { createUser, type TestUser } from "./helpers/factories.js";
import { api, API, expectErrorEnvelope } from "./helpers/http.js";

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => Buffer.from(part)));

// superagent would serialize a Buffer as JSON ({"type":"Buffer",...}); these
// bodies must go out byte for byte.
const asIs = (body: Buffer) => body as unknown as string;

/** Byte sequences that no UTF-8 decoder may accept. */
const NOT_UTF8: [string, number[]][] = [
  ["a lone 0xFF byte", [0xff]],
  ["a truncated two-byte sequence", [0xc3]],
  ["an overlong encoding of '/'", [0xc0, 0xaf]],
  ["an encoded surrogate (CESU-8)", [0xed, 0xa0, 0x80]],
  ["a code point past U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
];

const percentEncoded = (raw: number[]) =>
  raw.map((byte) => `%${byte.toString(16).toUpperCase()}`).join("");

/** Posts a tweet whose body goes out byte for byte as `type`. */
const postTweet = (
  user: TestUser,
  type: "json" | "form",
  body: Buffer | string
) =>
  api()
    .post(`${API}/tweets`)
    .set("Authorization", user.bearer)
    .type(type)
    .serialize(asIs)
    .send(body);

/** A new user posts `body` as a tweet: a 400 naming UTF-8, and no tweet stored. */
async function expectRefusedAsNotUtf8(
  type: "json" | "form",
  body: Buffer | string
) {
  const user = await createUser();
  const response = await postTweet(user, type, body);
  expect(expectErrorEnvelope(response, 400).message).toMatch(/UTF-8/);
  expect(await Tweet.countDocuments({ owner: user.id })).toBe(0);
}

describe("a JSON body that is not UTF-8", () => {
  it.each(NOT_UTF8)("with %s is a 400 and stores nothing", (_why, raw) =>
    expectRefusedAsNotUtf8(
      "json",
      bytes('{"content":"before ', raw, ' after"}')
    )
  );
});

describe("a urlencoded body that is not UTF-8", () => {
  it.each(NOT_UTF8)(
    "with %s as raw bytes is a 400 and stores nothing",
    (_why, raw) =>
      expectRefusedAsNotUtf8("form", bytes("content=before", raw, "after"))
  );

  it.each(NOT_UTF8)(
    "with %s percent-encoded is a 400 and stores nothing",
    (_why, raw) =>
      expectRefusedAsNotUtf8(
        "form",
        `content=before${percentEncoded(raw)}after`
      )
  );

  it("with a bare percent sign is a 400, not the text '100%'", async () => {
    const user = await createUser();
    expectErrorEnvelope(await postTweet(user, "form", "content=100%"), 400);
  });

  it("with well-formed escapes of non-ASCII text is kept as sent", async () => {
    const user = await createUser();
    const response = await postTweet(
      user,
      "form",
      `content=${encodeURIComponent("100% café 👋🏽")}`
    );
    expect(response.status).toBe(201);
    expect(response.body.data.content).toBe("100% café 👋🏽");
  });
});

describe("a query string that is not UTF-8", () => {
  it.each(NOT_UTF8)("with %s is a 400", async (_why, raw) => {
    const response = await api().get(
      `${API}/videos?query=before${percentEncoded(raw)}after`
    );
    expect(expectErrorEnvelope(response, 400).message).toMatch(/UTF-8/);
  });

  it("with a bare percent sign is a 400", async () => {
    expectErrorEnvelope(await api().get(`${API}/videos?query=100%`), 400);
  });

  it("in a path parameter is a 400", async () => {
    expectErrorEnvelope(await api().get(`${API}/users/c/abc%FFdef`), 400);
    expectErrorEnvelope(await api().get(`${API}/videos/%C0%AF`), 400);
  });
});
