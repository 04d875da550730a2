import { Types } from "mongoose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  countWhere,
  engineName,
  findPage,
  type SortOrder,
} from "../src/db/engine/index.js";
import { findDocuments } from "../src/db/engine/ferretdbSql.js";
import { genericPage } from "../src/db/engine/types.js";
import { Video } from "../src/models/video.model.js";
import { escapeRegex } from "../src/utils/escapeRegex.js";
import { visibleVideosFilter } from "../src/services/videoVisibility.service.js";
import { createUsers, mediaNamed, type TestUser } from "./helpers/factories.js";

// The engine's page (read from PostgreSQL's indexes on the embedded engine)
// against the generic find with sort, skip and limit, on generated videos
// with ties in every sort key, mixed-case and non-ASCII titles, drafts and
// videos being deleted; again after inserts, edits, publish toggles, view
// batches and deletes.

// Titles whose byte-wise order differs from a locale's: case, accents,
// emoji, a prefix of another, digits.
const TITLES = [
  "apple",
  "Apple",
  "APPLE",
  "apples",
  "Äpfel",
  "zebra",
  "Zebra",
  "éclair",
  "eclair",
  "10 tips",
  "9 tips",
  "🎬 trailer",
  "trailer",
  "_underscore",
  "ß",
  "日本",
];

let owners: TestUser[];
let seed = 7;
const random = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};

function videoFields(owner: TestUser, index: number) {
  const tag = `${Date.now()}-${index}-${random(1e9)}`;
  return {
    ...mediaNamed(tag),
    owner: new Types.ObjectId(owner.id),
    title: TITLES[random(TITLES.length)],
    description: random(3) === 0 ? "Generated (100%) tips_and_tricks" : "plain",
    // Few distinct values, so every sort has long runs of ties.
    duration: random(5) * 30,
    views: random(4),
    isPublished: random(4) !== 0,
    createdAt: new Date(Date.UTC(2026, 0, 1 + random(6))),
    ...(random(15) === 0 ? { deletingAt: new Date() } : {}),
  };
}

async function addVideos(count: number) {
  await Video.insertMany(
    Array.from({ length: count }, (_, index) =>
      videoFields(owners[random(owners.length)], index)
    ),
    { lean: true }
  );
}

const SORTS: [string, string][] = [
  ["createdAt", "desc"],
  ["createdAt", "asc"],
  ["views", "desc"],
  ["duration", "asc"],
  ["title", "asc"],
  ["title", "desc"],
];

/** A search as GET /videos?query= filters: a literal, case-insensitive. */
const searchFor = (text: string) => {
  const pattern = { $regex: escapeRegex(text), $options: "i" };
  return {
    name: `a search for ${JSON.stringify(text)}`,
    filter: {
      ...visibleVideosFilter(undefined),
      $and: [{ $or: [{ title: pattern }, { description: pattern }] }],
    },
    // Only printable ASCII is searched in PostgreSQL (see containsText).
    inSql: /^[\x20-\x7e]*$/.test(text),
  };
};

const filters = () => [
  ...["apple", "APP", "tips", "e", "9 t", "_", "%", "gen(", "äpf"].map(
    searchFor
  ),
  {
    name: "the global list",
    filter: visibleVideosFilter(undefined),
    inSql: true,
  },
  {
    name: "a channel seen by others",
    filter: visibleVideosFilter(undefined, owners[0].id),
    inSql: true,
  },
  {
    name: "a channel seen by its owner",
    filter: visibleVideosFilter(owners[1].id, owners[1].id),
    inSql: true,
  },
  {
    name: "the list of a signed-in viewer",
    filter: visibleVideosFilter(owners[2].id),
    inSql: true,
  },
];

/** Every page of every filter and sort, each against the generic path. */
async function expectSamePages() {
  for (const { name, filter, inSql } of filters()) {
    const total = await Video.countDocuments(filter);
    expect(await countWhere(Video, filter), name).toBe(total);
    for (const [field, type] of SORTS) {
      const direction = type === "asc" ? 1 : -1;
      const sort: SortOrder = [
        [field, direction],
        ["_id", direction],
      ];
      for (const page of [
        { skip: 0, limit: 10 },
        { skip: 10, limit: 7 },
        { skip: Math.max(0, total - 5), limit: 10 },
        { skip: total + 3, limit: 10 },
      ]) {
        const expected = await genericPage(Video, filter, sort, page, {});
        const actual = await findPage(Video, filter, sort, page, {});
        const where = `${name}, ${field} ${type}, skip ${page.skip}`;
        expect(
          actual.map((video) => String(video._id)),
          where
        ).toEqual(expected.map((video) => String(video._id)));
        // Every field as lean() reads it: dates, ids, nested objects.
        expect(actual, where).toEqual(expected);
        if (engineName() === "ferretdb" && inSql) {
          // The embedded engine answers it from PostgreSQL, not the fallback.
          expect(
            await findDocuments(Video, filter, {}, sort, page),
            where
          ).toBeDefined();
        }
      }
    }
  }
}

describe("one page in a sort order, on the engine under test", () => {
  beforeAll(async () => {
    owners = await createUsers(3);
    await addVideos(120);
  });

  it("gives every page of every list and sort as the generic path does, ties ordered by _id and strings compared byte-wise", async () => {
    await expectSamePages();
  });

  it("still does after inserts, edits, publish toggles, view batches and deletes", async () => {
    await addVideos(30);
    const some = await Video.find({}, { _id: 1 }).limit(40).lean();
    const ids = some.map((video) => video._id);
    await Video.updateMany(
      { _id: { $in: ids.slice(0, 10) } },
      { $set: { title: "apple" } }
    );
    await Video.updateMany(
      { _id: { $in: ids.slice(10, 20) } },
      { $set: { isPublished: false } }
    );
    await Video.updateMany(
      { _id: { $in: ids.slice(20, 30) } },
      { $inc: { views: 3 } }
    );
    await Video.deleteMany({ _id: { $in: ids.slice(30, 40) } });
    await expectSamePages();
  });

  it("returns the fields asked for, and nothing for a filter no video matches", async () => {
    const filter = visibleVideosFilter(undefined);
    const [first] = await findPage(
      Video,
      filter,
      [
        ["createdAt", -1],
        ["_id", -1],
      ],
      { skip: 0, limit: 1 },
      { title: 1 }
    );
    expect(Object.keys(first ?? {}).sort()).toEqual(["_id", "title"]);
    const nobody = visibleVideosFilter(undefined, new Types.ObjectId());
    expect(
      await findPage(Video, nobody, [["_id", -1]], { skip: 0, limit: 5 }, {})
    ).toEqual([]);
    expect(await countWhere(Video, nobody)).toBe(0);
  });
});
