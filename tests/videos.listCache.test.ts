import { describe, expect, it, vi } from "vitest";

// Long enough to see a hit, short enough to watch it expire.
vi.hoisted(() => {
  process.env.LIST_CACHE_TTL_MS = "400";
});

import { config } from "../src/config.js";
import { Video } from "../src/models/video.model.js";
import { recordCommands } from "./helpers/content.factories.js";
import { createUser, createVideo } from "./helpers/factories.js";
import { API, api } from "./helpers/http.js";
import { attachVideoFiles } from "./helpers/media.js";

const titles = async (query: string, bearer?: string) => {
  const request = api().get(`${API}/videos`).query({ query });
  if (bearer) request.set("Authorization", bearer);
  const response = await request;
  expect(response.status).toBe(200);
  return (response.body.data.docs as { title: string }[]).map((v) => v.title);
};

describe("the cache in front of GET /videos (LIST_CACHE_TTL_MS)", () => {
  it("reads the configured bound", () => {
    expect(config.videoLists.cacheTtlMs).toBe(400);
  });

  it("answers a repeated page without a database command", async () => {
    const owner = await createUser();
    await createVideo(owner, { title: "cached-one" });
    expect(await titles("cached-one")).toEqual(["cached-one"]);
    const commands = await recordCommands(() => titles("cached-one"));
    expect(commands).toEqual([]);
  });

  it("counts a list once for all its pages and sorts, and the total stays true", async () => {
    const owner = await createUser();
    for (let i = 0; i < 3; i++)
      await createVideo(owner, { title: `counted-once ${i}` });
    const page = (query: Record<string, unknown>) =>
      api()
        .get(`${API}/videos`)
        .query({ query: "counted-once", limit: 2, ...query });
    const first = await recordCommands(async () => {
      expect((await page({})).body.data.totalDocs).toBe(3);
    });
    expect(first).toContain("videos.countDocuments");
    const others = await recordCommands(async () => {
      const second = await page({ page: 2 });
      expect(second.body.data).toMatchObject({ totalDocs: 3, page: 2 });
      expect(second.body.data.docs).toHaveLength(1);
      const byViews = await page({ sortBy: "views" });
      expect(byViews.body.data.totalDocs).toBe(3);
    });
    expect(others).not.toContain("videos.countDocuments");
    expect(others.filter((c) => c === "videos.find")).toHaveLength(2);
  });

  it("shows a video published on this instance at once", async () => {
    const owner = await createUser();
    expect(await titles("fresh-publish")).toEqual([]);
    const published = await attachVideoFiles(
      api()
        .post(`${API}/videos`)
        .set("Authorization", owner.bearer)
        .field("title", "fresh-publish")
        .field("description", "d")
    );
    expect(published.status).toBe(201);
    expect(await titles("fresh-publish")).toEqual(["fresh-publish"]);
  });

  it("hides a video unpublished on this instance at once", async () => {
    const owner = await createUser();
    const video = await createVideo(owner, { title: "soon-hidden" });
    expect(await titles("soon-hidden")).toEqual(["soon-hidden"]);
    const toggled = await api()
      .patch(`${API}/videos/toggle/publish/${String(video._id)}`)
      .set("Authorization", owner.bearer);
    expect(toggled.status).toBe(200);
    expect(await titles("soon-hidden")).toEqual([]);
  });

  it("shows another instance's write within the bound", async () => {
    const owner = await createUser();
    expect(await titles("elsewhere-made")).toEqual([]);
    await createVideo(owner, { title: "elsewhere-made" });
    const written = Date.now();
    await vi.waitFor(
      async () =>
        expect(await titles("elsewhere-made")).toEqual(["elsewhere-made"]),
      { timeout: 2_000, interval: 25 }
    );
    expect(Date.now() - written).toBeLessThan(
      config.videoLists.cacheTtlMs + 500
    );
  });

  it("never hands the owner's view of their channel (drafts) to anyone else", async () => {
    const [owner, other] = [await createUser(), await createUser()];
    await createVideo(owner, { title: "a draft", isPublished: false });
    const channel = (bearer: string) =>
      api()
        .get(`${API}/videos?userId=${owner.id}`)
        .set("Authorization", bearer);
    expect((await channel(owner.bearer)).body.data.totalDocs).toBe(1);
    expect((await channel(other.bearer)).body.data.totalDocs).toBe(0);
    expect(await Video.countDocuments({ owner: owner.id })).toBe(1);
  });
});
