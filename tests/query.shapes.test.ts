import { describe, expect, it } from "vitest";
import { sentCommands } from "./helpers/content.factories.js";
import { createUser, createVideo } from "./helpers/factories.js";
import { API, api } from "./helpers/http.js";

/**
 * Look-ups by `_id` send `_id` alone: FerretDB serves `{_id}` from an index
 * but scans the whole collection for an `$in`, even of one id.
 */
async function filtersSent(work: () => Promise<unknown>) {
  return (await sentCommands(work)).map(({ collection, method, args }) => ({
    collection,
    method,
    filter: args[0],
  }));
}

/** The filter with every ObjectId written as <id>: its shape. */
const idKeysOf = (filter: unknown) =>
  JSON.stringify(filter).replace(/"[0-9a-f]{24}"/g, '"<id>"');

describe("the shapes of the look-ups a watch sends", () => {
  it("reads the owner and checks the session with {_id} alone", async () => {
    const [owner, viewer] = [await createUser(), await createUser()];
    const video = await createVideo(owner);
    const sent = await filtersSent(async () => {
      const watched = await api()
        .get(`${API}/videos/${String(video._id)}`)
        .set("Authorization", viewer.bearer);
      expect(watched.status).toBe(200);
    });
    const byCollection = (name: string) =>
      sent
        .filter((call) => call.collection === name)
        .map((call) => idKeysOf(call.filter));
    expect(byCollection("users")).toEqual(
      expect.arrayContaining(['{"_id":"<id>"}'])
    );
    expect(byCollection("users").some((shape) => shape.includes("$in"))).toBe(
      false
    );
    expect(byCollection("sessions")).toEqual(['{"_id":"<id>"}']);
  });
});
