import { beforeAll, describe, expect, it } from "vitest";
import { Video } from "../src/models/video.model.js";
import { createUser, createVideo, type TestUser } from "./helpers/factories.js";
import { expectFieldError } from "./helpers/assertions.js";
import { BAD_ID_VALUES, paddedOverLimit } from "./helpers/bad-inputs.js";
import { API, api, expectErrorEnvelope } from "./helpers/http.js";

let owner: TestUser;
let videoId: string;

beforeAll(async () => {
  owner = await createUser();
  videoId = (await createVideo(owner, { title: "Untouched" })).id;
});

describe("bad video ids", () => {
  const requests = (id: string) =>
    [
      ["GET /videos/:id", api().get(`${API}/videos/${id}`)],
      [
        "PATCH /videos/:id",
        api().patch(`${API}/videos/${id}`).send({ title: "x" }),
      ],
      ["DELETE /videos/:id", api().delete(`${API}/videos/${id}`)],
      [
        "PATCH /videos/toggle/publish/:id",
        api().patch(`${API}/videos/toggle/publish/${id}`),
      ],
    ] as const;

  for (const id of BAD_ID_VALUES) {
    it(`answers 400, not a CastError 500, for the id "${id}" everywhere`, async () => {
      for (const [name, request] of requests(id)) {
        const response = await request.set("Authorization", owner.bearer);
        const body = expectErrorEnvelope(response, 400);
        expect(body.errors[0]?.path, name).toBe("videoId");
      }
    });
  }
});

describe("GET /videos query", () => {
  it.each([
    ["page", { page: 0 }],
    ["page", { page: -1 }],
    ["page", { page: "two" }],
    ["page", { page: 1.5 }],
    ["limit", { limit: 0 }],
    ["limit", { limit: 101 }],
    ["limit", { limit: "ten" }],
    ["page", { page: "0x10" }],
    ["limit", { limit: "1e1" }],
    ["sortBy", { sortBy: "password" }],
    ["sortBy", { sortBy: "owner" }],
    ["sortType", { sortType: "up" }],
    ["sortType", { sortType: "-1" }],
    ["userId", { userId: "abc" }],
    ["userId", { userId: " 6650f3c2a1b2c3d4e5f60701" }],
    ["query", { query: "q".repeat(101) }],
    ["query", { query: paddedOverLimit(100)[1] }],
  ])("rejects a bad %s: %j", async (field, query) => {
    const response = await api().get(`${API}/videos`).query(query);
    expectFieldError(response, field);
  });

  it("rejects a repeated query parameter instead of searching an array", async () => {
    const response = await api().get(`${API}/videos?query=a&query=b`);
    expectErrorEnvelope(response, 400);
  });

  it("ignores operator-looking keys rather than passing them to the database", async () => {
    const response = await api().get(
      `${API}/videos?userId[$ne]=x&query[$regex]=.*`
    );
    expect(response.status).toBe(200);
  });
});

describe("PATCH /videos/:videoId body", () => {
  it.each([
    ["title", { title: "" }],
    ["title", { title: "   " }],
    ["title", { title: "t".repeat(101) }],
    ["title", { title: paddedOverLimit(100)[1] }],
    ["title", { title: 42 }],
    ["title", { title: { $set: "x" } }],
    ["description", { description: "" }],
    ["description", { description: "d".repeat(5001) }],
    ["description", { description: paddedOverLimit(5000)[1] }],
    ["description", { description: ["a"] }],
  ])("rejects a bad %s: %j", async (field, body) => {
    const response = await api()
      .patch(`${API}/videos/${videoId}`)
      .set("Authorization", owner.bearer)
      .send(body);
    expectFieldError(response, field);
    expect((await Video.findById(videoId))?.title).toBe("Untouched");
  });

  it("accepts a title of 100 characters and a description of 5000", async () => {
    const response = await api()
      .patch(`${API}/videos/${videoId}`)
      .set("Authorization", owner.bearer)
      .send({ title: "t".repeat(100), description: "d".repeat(5000) });
    expect(response.status).toBe(200);
    await Video.updateOne({ _id: videoId }, { $set: { title: "Untouched" } });
  });

  it("counts an emoji as one character, as the document's maxLength does", async () => {
    const title = "🎬".repeat(100);
    const response = await api()
      .patch(`${API}/videos/${videoId}`)
      .set("Authorization", owner.bearer)
      .send({ title });
    expect(response.status).toBe(200);
    expect((await Video.findById(videoId))?.title).toBe(title);
    await Video.updateOne({ _id: videoId }, { $set: { title: "Untouched" } });
  });

  it("ignores fields that may not be edited", async () => {
    const other = await createUser();
    const response = await api()
      .patch(`${API}/videos/${videoId}`)
      .set("Authorization", owner.bearer)
      .send({
        title: "Untouched",
        owner: other.id,
        views: 1_000_000,
        isPublished: false,
        duration: 1,
      });
    expect(response.status).toBe(200);
    const stored = await Video.findById(videoId);
    expect(String(stored?.owner)).toBe(owner.id);
    expect(stored?.views).toBe(0);
    expect(stored?.isPublished).toBe(true);
    expect(stored?.duration).toBe(60);
  });
});

describe("the API document", () => {
  it("lists every video endpoint", async () => {
    const response = await api().get("/api-docs/openapi.json");
    const paths = response.body.paths as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(paths["/api/v1/videos"] ?? {}).sort()).toEqual([
      "get",
      "post",
    ]);
    expect(Object.keys(paths["/api/v1/videos/{videoId}"] ?? {}).sort()).toEqual(
      ["delete", "get", "patch"]
    );
    expect(paths).toHaveProperty([
      "/api/v1/videos/toggle/publish/{videoId}",
      "patch",
    ]);
  });
});
