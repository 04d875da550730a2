import mongoose, { Types } from "mongoose";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { explainPage } from "../src/db/engine/ferretdbSql.js";
import type { SortOrder } from "../src/db/engine/index.js";
import { Video } from "../src/models/video.model.js";
import { visibleVideosFilter } from "../src/services/videoVisibility.service.js";
import { createUsers, type TestUser } from "./helpers/factories.js";

// On the embedded engine a sorted page is read from PostgreSQL: its plan
// walks the btree FerretDB made of the matching declared index, with no
// sort of every match. (Embedded engine only: tests/setup/engines.ts.)

const VIDEOS = 3_000;
let owner: TestUser;
let client: pg.Client;

beforeAll(async () => {
  [owner] = await createUsers(1);
  const ownerId = new Types.ObjectId(owner.id);
  await Video.insertMany(
    Array.from({ length: VIDEOS }, (_, index) => ({
      videoFile: { url: `/v/${index}.mp4`, publicId: `video/plan-${index}` },
      thumbnail: { url: `/i/${index}.png`, publicId: `image/plan-${index}` },
      owner: ownerId,
      title: `Video ${index % 97}`,
      description: "plan",
      duration: index % 600,
      views: index % 1000,
      isPublished: index % 10 !== 0,
    })),
    { lean: true }
  );
  // The statistics autovacuum would gather on a live database.
  client = new pg.Client(inject("postgresUrl"));
  await client.connect();
  await client.query(`ANALYZE`);
});

afterAll(async () => {
  await client?.end();
});

const pages: { name: string; filter: () => Record<string, unknown> }[] = [
  { name: "the global list", filter: () => visibleVideosFilter(undefined) },
  {
    name: "a channel seen by others",
    filter: () => visibleVideosFilter(undefined, owner.id),
  },
  {
    name: "a channel seen by its owner",
    filter: () => visibleVideosFilter(owner.id, owner.id),
  },
];

const SORTS: SortOrder[] = [
  [
    ["createdAt", -1],
    ["_id", -1],
  ],
  [
    ["views", -1],
    ["_id", -1],
  ],
  [
    ["duration", -1],
    ["_id", -1],
  ],
  [
    ["title", 1],
    ["_id", 1],
  ],
];

describe("a sorted page on the embedded engine", () => {
  for (const { name, filter } of pages) {
    for (const sort of SORTS) {
      it(`reads ${name} by ${sort[0]?.[0]} from an index, without sorting the matches`, async () => {
        const plan = await explainPage(Video, filter(), sort, 20, 10);
        expect(plan, "the page has a SQL form").toBeDefined();
        expect(plan).toMatch(/Index (Only )?Scan/);
        expect(plan).not.toMatch(/Sort/);
        expect(mongoose.connection.readyState).toBe(1);
      });
    }
  }
});
