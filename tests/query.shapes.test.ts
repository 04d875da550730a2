import { describe, expect, it } from "vitest";
import { Types } from "mongoose";
import { sentCommands } from "./helpers/content.factories.js";
import { declaredIndexes, isServed, shapeOf } from "./helpers/indexCoverage.js";
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

describe("the index check every test file runs on the reads it sent", () => {
  const videos = () => declaredIndexes().get("videos") ?? [];
  const served = (
    filter: Record<string, unknown>,
    sort: Record<string, number> = {}
  ) =>
    isServed({ collection: "videos", method: "find", filter, sort }, videos());
  const owner = new Types.ObjectId();

  it("accepts equality, then sort, then range, as the indexes declare them", () => {
    expect(served({ _id: owner, isPublished: true })).toBe(true);
    expect(
      served(
        { owner, isPublished: true, deletingAt: { $exists: false } },
        { views: -1, _id: -1 }
      )
    ).toBe(true);
    // The same index read backwards.
    expect(served({ isPublished: true }, { title: -1, _id: -1 })).toBe(true);
    expect(
      served({
        $or: [{ isPublished: true }, { owner }],
        deletingAt: { $exists: false },
      })
    ).toBe(true);
  });

  it("refuses a scan, an in-memory sort and a sort against the index", () => {
    expect(served({})).toBe(false);
    expect(served({ title: /cats/i })).toBe(false);
    expect(served({ isPublished: true }, { likesCount: -1 })).toBe(false);
    expect(served({ owner }, { views: -1, _id: 1 })).toBe(false);
    // One branch of the $or with no index makes the whole query a scan.
    expect(served({ $or: [{ owner }, { description: "x" }] })).toBe(false);
  });

  it("reads what the app sent: a filter from find, a $match and $sort from aggregate", () => {
    expect(
      shapeOf({
        collection: "videos",
        method: "aggregate",
        args: [[{ $match: { owner } }, { $sort: { createdAt: -1 } }]],
      })
    ).toEqual({
      collection: "videos",
      method: "aggregate",
      filter: { owner },
      sort: { createdAt: -1 },
    });
    expect(
      shapeOf({ collection: "videos", method: "updateOne", args: [{}] })
    ).toBeUndefined();
  });
});
