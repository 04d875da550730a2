import { describe, expect, it } from "vitest";
import { recordWatch } from "../src/services/history.service.js";
import { createUser, createVideo, publicViewOf } from "./helpers/factories.js";
import { api, API, expectErrorEnvelope } from "./helpers/http.js";

describe("GET /users/history", () => {
  it("lists watched videos most recent first, each once, with their owner", async () => {
    const [viewer, creator] = [await createUser(), await createUser()];
    const [first, second] = [
      await createVideo(creator),
      await createVideo(creator),
    ];
    await recordWatch(viewer.id, String(first._id));
    await recordWatch(viewer.id, String(second._id));
    await recordWatch(viewer.id, String(first._id));
    const response = await api()
      .get(`${API}/users/history`)
      .set("Authorization", viewer.bearer);
    expect(response.status).toBe(200);
    const { docs, totalDocs, page, hasNextPage } = response.body.data;
    expect(docs.map((video: { _id: string }) => video._id)).toEqual([
      String(first._id),
      String(second._id),
    ]);
    expect({ totalDocs, page, hasNextPage }).toEqual({
      totalDocs: 2,
      page: 1,
      hasNextPage: false,
    });
    expect(docs[0].owner).toEqual(publicViewOf(creator));
    expect(docs[0].videoFile).toBe(first.videoFile.url);
    expect(JSON.stringify(response.body)).not.toContain(creator.user.email);
  });

  it("pages through the history", async () => {
    const [viewer, creator] = [await createUser(), await createUser()];
    const videos = [];
    for (let index = 0; index < 3; index++)
      videos.push(await createVideo(creator));
    for (const video of videos) await recordWatch(viewer.id, String(video._id));
    const second = await api()
      .get(`${API}/users/history?page=2&limit=2`)
      .set("Authorization", viewer.bearer);
    expect(second.body.data).toMatchObject({
      totalDocs: 3,
      totalPages: 2,
      page: 2,
      hasPrevPage: true,
    });
    expect(
      second.body.data.docs.map((video: { _id: string }) => video._id)
    ).toEqual([String(videos[0]?._id)]);
  });

  it("leaves out a video that was unpublished by someone else", async () => {
    const [viewer, creator] = [await createUser(), await createUser()];
    const hidden = await createVideo(creator, { isPublished: false });
    await recordWatch(viewer.id, String(hidden._id));
    const response = await api()
      .get(`${API}/users/history`)
      .set("Authorization", viewer.bearer);
    expect(response.body.data.docs).toEqual([]);
  });

  it("answers 401 without a token", async () => {
    expectErrorEnvelope(await api().get(`${API}/users/history`), 401);
  });
});
