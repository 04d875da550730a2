import { describe, expect, it } from "vitest";
import { countQueries } from "./helpers/content.factories.js";
import {
  createUser,
  createVideo,
  type TestUser,
  publicViewOf,
} from "./helpers/factories.js";
import { API, api } from "./helpers/http.js";
import type { Page } from "../src/utils/paginate.js";

interface ListedVideo {
  _id: string;
  title: string;
  description: string;
  duration: number;
  views: number;
  isPublished: boolean;
  createdAt: string;
  videoFile: unknown;
  thumbnail: unknown;
  owner: { _id: string; username: string; fullName: string; avatar: string };
}

type VideoPage = Page<ListedVideo>;

async function list(
  query: Record<string, string | number>,
  viewer?: TestUser
): Promise<VideoPage> {
  const request = api().get(`${API}/videos`).query(query);
  if (viewer) request.set("Authorization", viewer.bearer);
  const response = await request;
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data as VideoPage;
}

/** Every page of a listing, fetched `limit` at a time. */
async function allPages(
  query: Record<string, string | number>,
  limit: number
): Promise<ListedVideo[]> {
  const items: ListedVideo[] = [];
  for (let page = 1; ; page++) {
    const result = await list({ ...query, page, limit });
    items.push(...result.docs);
    if (!result.hasNextPage) return items;
  }
}

describe("GET /videos: pagination", () => {
  it("answers an empty page for a search that matches nothing", async () => {
    const page = await list({ query: "nothing-is-called-this-9f2c" });
    expect(page).toEqual({
      docs: [],
      totalDocs: 0,
      limit: 10,
      page: 1,
      totalPages: 1,
      pagingCounter: 1,
      hasPrevPage: false,
      hasNextPage: false,
      prevPage: null,
      nextPage: null,
    });
  });

  it("walks to a partial last page and answers an empty page past the end", async () => {
    const owner = await createUser();
    for (let i = 0; i < 5; i++) await createVideo(owner);
    const last = await list({ userId: owner.id, page: 3, limit: 2 });
    expect(last.docs).toHaveLength(1);
    expect(last).toMatchObject({
      totalDocs: 5,
      totalPages: 3,
      page: 3,
      pagingCounter: 5,
      hasPrevPage: true,
      hasNextPage: false,
      prevPage: 2,
      nextPage: null,
    });
    const past = await list({ userId: owner.id, page: 7, limit: 2 });
    expect(past.docs).toEqual([]);
    expect(past.totalDocs).toBe(5);
    expect(past.hasNextPage).toBe(false);
  });

  it("accepts a limit of 100 and rejects 101 and page 0", async () => {
    const owner = await createUser();
    for (let i = 0; i < 3; i++) await createVideo(owner);
    const page = await list({ userId: owner.id, limit: 100 });
    expect(page.limit).toBe(100);
    expect(page.docs).toHaveLength(3);
    for (const query of [{ limit: 101 }, { page: 0 }]) {
      const response = await api().get(`${API}/videos`).query(query);
      expect(response.status).toBe(400);
    }
  });

  it("gives each video its owner's public profile and media as URLs", async () => {
    const owner = await createUser();
    await createVideo(owner);
    const [video] = (await list({ userId: owner.id })).docs;
    expect(video?.owner).toEqual(publicViewOf(owner));
    expect(typeof video?.videoFile).toBe("string");
    expect(typeof video?.thumbnail).toBe("string");
    const text = JSON.stringify(video);
    expect(text).not.toContain("password");
    expect(text).not.toContain("email");
    expect(text).not.toContain("publicId");
  });

  it("costs the same number of queries for a page of 10 as for a page of 2", async () => {
    const owners = await Promise.all([1, 2, 3, 4, 5].map(() => createUser()));
    const tag = `qc${Date.now()}`;
    for (let i = 0; i < 12; i++)
      await createVideo(owners[i % owners.length]!, { title: `${tag} ${i}` });
    const queriesFor = (limit: number) =>
      countQueries(async () => {
        const page = await list({ query: tag, limit });
        expect(page.docs).toHaveLength(limit);
      });
    const small = await queriesFor(2);
    const large = await queriesFor(10);
    expect(large).toBe(small);
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThanOrEqual(3);
  });
});

describe("GET /videos: sorting", () => {
  const seed = async () => {
    const owner = await createUser();
    const sameTime = new Date("2024-05-01T10:00:00Z");
    const specs = [
      { title: "beta", duration: 20, views: 5, createdAt: sameTime },
      { title: "alpha", duration: 10, views: 5, createdAt: sameTime },
      {
        title: "beta",
        duration: 20,
        views: 9,
        createdAt: new Date("2024-01-01"),
      },
      { title: "gamma", duration: 30, views: 1, createdAt: sameTime },
      {
        title: "alpha",
        duration: 20,
        views: 5,
        createdAt: new Date("2025-01-01"),
      },
    ];
    for (const spec of specs) await createVideo(owner, spec);
    return owner;
  };

  const compare = (a: string | number, b: string | number) =>
    a < b ? -1 : a > b ? 1 : 0;

  for (const sortBy of ["createdAt", "views", "duration", "title"] as const) {
    for (const sortType of ["asc", "desc"] as const) {
      it(`orders by ${sortBy} ${sortType} with ties broken by _id, across pages`, async () => {
        const owner = await seed();
        const items = await allPages({ userId: owner.id, sortBy, sortType }, 2);
        const sign = sortType === "asc" ? 1 : -1;
        const expected = [...items].sort(
          (a, b) =>
            sign *
            (compare(
              sortBy === "createdAt" ? Date.parse(a.createdAt) : a[sortBy],
              sortBy === "createdAt" ? Date.parse(b.createdAt) : b[sortBy]
            ) || compare(a._id, b._id))
        );
        expect(items).toHaveLength(5);
        expect(new Set(items.map((item) => item._id)).size).toBe(5);
        expect(items.map((item) => item._id)).toEqual(
          expected.map((item) => item._id)
        );
      });
    }
  }

  it("sorts newest first by default", async () => {
    const owner = await createUser();
    const old = await createVideo(owner, { createdAt: new Date("2020-01-01") });
    const recent = await createVideo(owner, {
      createdAt: new Date("2024-01-01"),
    });
    const page = await list({ userId: owner.id });
    expect(page.docs.map((video) => video._id)).toEqual([recent.id, old.id]);
  });
});

describe("GET /videos: search", () => {
  it("matches title and description case-insensitively", async () => {
    const owner = await createUser();
    const inTitle = await createVideo(owner, { title: "Hello World" });
    const inDescription = await createVideo(owner, {
      description: "we say HELLO here",
    });
    await createVideo(owner, { title: "Goodbye", description: "nothing" });
    const page = await list({ userId: owner.id, query: "hello" });
    expect(page.docs.map((video) => video._id).sort()).toEqual(
      [inTitle.id, inDescription.id].sort()
    );
  });

  it.each([".*", "(a+)+$", "[", "a|b", "\\"])(
    "treats %s as plain text",
    async (text) => {
      const owner = await createUser();
      const literal = await createVideo(owner, {
        title: `literal ${text} inside`,
      });
      await createVideo(owner, { title: "aaaaaaaaaaaaaaaaaaaaaaaaaaaa!" });
      await createVideo(owner, { title: "a b ab" });
      const page = await list({ userId: owner.id, query: text });
      expect(page.docs.map((video) => video._id)).toEqual([literal.id]);
    }
  );

  it("accepts 100 characters of search text and rejects 101", async () => {
    const ok = await api()
      .get(`${API}/videos`)
      .query({ query: "x".repeat(100) });
    expect(ok.status).toBe(200);
    const tooLong = await api()
      .get(`${API}/videos`)
      .query({ query: "x".repeat(101) });
    expect(tooLong.status).toBe(400);
  });
});

describe("GET /videos: visibility", () => {
  const seed = async () => {
    const owner = await createUser();
    const published = await createVideo(owner);
    const hidden = await createVideo(owner, { isPublished: false });
    return { owner, published, hidden };
  };

  it("lists the owner's unpublished videos to the owner of the channel", async () => {
    const { owner, published, hidden } = await seed();
    const page = await list({ userId: owner.id }, owner);
    expect(page.docs.map((video) => video._id).sort()).toEqual(
      [published.id, hidden.id].sort()
    );
  });

  it("hides unpublished videos from other users and anonymous callers", async () => {
    const { owner, published } = await seed();
    const other = await createUser();
    for (const viewer of [other, undefined]) {
      const page = await list({ userId: owner.id }, viewer);
      expect(page.docs.map((video) => video._id)).toEqual([published.id]);
    }
  });

  it("hides the owner's unpublished videos outside their own channel listing", async () => {
    const { owner, hidden } = await seed();
    const everything = await allPages({ sortBy: "createdAt" }, 100);
    expect(everything.map((video) => video._id)).not.toContain(hidden.id);
    const asOwner = await api()
      .get(`${API}/videos`)
      .query({ limit: 100 })
      .set("Authorization", owner.bearer);
    expect(
      (asOwner.body.data as VideoPage).docs.map((video) => video._id)
    ).not.toContain(hidden.id);
  });
});
