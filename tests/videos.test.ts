import { describe, expect, it } from "vitest";
import { Comment } from "../src/models/comment.model.js";
import { Like } from "../src/models/like.model.js";
import { Playlist } from "../src/models/playlist.model.js";
import { Video } from "../src/models/video.model.js";
import { View } from "../src/models/view.model.js";
import { WatchEntry } from "../src/models/watchEntry.model.js";
import { historyVideoIds } from "../src/services/history.service.js";
import { flushWatches } from "../src/services/watchLog.service.js";
import {
  createUser,
  createVideo,
  missingId,
  type TestUser,
  publicViewOf,
} from "./helpers/factories.js";
import { API, api, expectErrorEnvelope, warmAuth } from "./helpers/http.js";
import {
  createComment,
  createLike,
  createPlaylist,
  recordCommands,
} from "./helpers/content.factories.js";

const watch = (videoId: string, viewer?: TestUser) => {
  const request = api().get(`${API}/videos/${videoId}`);
  return viewer ? request.set("Authorization", viewer.bearer) : request;
};

const historyOf = async (user: TestUser) =>
  (await historyVideoIds(user.id)).map(String);

describe("GET /videos/:videoId", () => {
  it("answers the video with its owner, likesCount and isLiked", async () => {
    const owner = await createUser();
    const fan = await createUser();
    const video = await createVideo(owner, { title: "Watch me" });
    await createLike(fan, "video", video);
    await createLike(owner, "video", video);
    const other = await createVideo(owner);
    await createLike(fan, "video", other);

    const response = await watch(video.id, fan);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      _id: video.id,
      title: "Watch me",
      videoFile: video.videoFile.url,
      thumbnail: video.thumbnail.url,
      likesCount: 2,
      isLiked: true,
      isPublished: true,
      owner: publicViewOf(owner),
    });
    const text = JSON.stringify(response.body);
    expect(text).not.toContain("password");
    expect(text).not.toContain("email");
  });

  it("says isLiked false to an anonymous viewer and counts no view", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    await createLike(owner, "video", video);
    const response = await watch(video.id);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      likesCount: 1,
      isLiked: false,
      views: 0,
    });
    expect(await View.countDocuments({ video: video._id })).toBe(0);
  });

  it("shows an unpublished video to its owner only", async () => {
    const owner = await createUser();
    const other = await createUser();
    const video = await createVideo(owner, { isPublished: false });
    expect((await watch(video.id, owner)).status).toBe(200);
    expectErrorEnvelope(await watch(video.id, other), 404);
    expectErrorEnvelope(await watch(video.id), 404);
  });

  it("answers 404 for a video that does not exist", async () => {
    expectErrorEnvelope(await watch(missingId()), 404);
  });

  it("counts a viewer's view once, even for 20 concurrent watches", async () => {
    const owner = await createUser();
    const viewer = await createUser();
    const video = await createVideo(owner);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => watch(video.id, viewer))
    );
    for (const response of responses) {
      expect(response.status).toBe(200);
      // The views counted before: this one is written after the answer (a
      // timed flush may land among the 20 and count the first of them).
      expect([0, 1]).toContain(response.body.data.views);
    }
    await flushWatches();
    expect(await View.countDocuments({ video: video._id })).toBe(1);
    expect((await Video.findById(video._id))?.views).toBe(1);
    expect(await historyOf(viewer)).toEqual([video.id]);

    const second = await createUser();
    expect((await watch(video.id, second)).body.data.views).toBe(1);
    expect((await watch(video.id, viewer)).body.data.views).toBe(1);
    await flushWatches();
    expect((await Video.findById(video._id))?.views).toBe(2);
    expect((await watch(video.id, viewer)).body.data.views).toBe(2);
  });

  it("moves a re-watched video to the top of the history without duplicates", async () => {
    const owner = await createUser();
    const viewer = await createUser();
    const [a, b, c] = [
      await createVideo(owner),
      await createVideo(owner),
      await createVideo(owner),
    ];
    for (const video of [a!, b!, c!, a!]) {
      expect((await watch(video.id, viewer)).status).toBe(200);
    }
    await flushWatches();
    expect(await historyOf(viewer)).toEqual([a!.id, c!.id, b!.id]);
    expect(await View.countDocuments({ viewer: viewer.id })).toBe(3);
  });

  it("answers from reads alone: the view and history are written after it, within the flush interval", async () => {
    const owner = await createUser();
    const viewer = await createUser();
    const video = await createVideo(owner);
    await warmAuth(viewer);
    const commands = await recordCommands(async () => {
      expect((await watch(video.id, viewer)).status).toBe(200);
    });
    // The video (with its likesCount), then the viewer's like and the owner
    // at once: two round trips on the critical path, no write.
    expect(commands.sort()).toEqual([
      "likes.findOne",
      "users.find",
      "videos.findOne",
    ]);
    await expect
      .poll(() => View.countDocuments({ video: video._id }), {
        timeout: 5_000,
      })
      .toBe(1);
    await expect.poll(() => historyOf(viewer)).toEqual([video.id]);
    await expect
      .poll(async () => (await Video.findById(video._id))?.views)
      .toBe(1);
  });
});

describe("PATCH /videos/:videoId", () => {
  it("changes the title and description of the owner's video", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const response = await api()
      .patch(`${API}/videos/${video.id}`)
      .set("Authorization", owner.bearer)
      .send({ title: "  New title ", description: "New description" });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      _id: video.id,
      title: "New title",
      description: "New description",
      thumbnail: video.thumbnail.url,
      owner: { _id: owner.id, username: owner.user.username },
    });
    const stored = await Video.findById(video._id);
    expect(stored?.title).toBe("New title");
  });

  it("changes only the fields sent", async () => {
    const owner = await createUser();
    const video = await createVideo(owner, { description: "kept" });
    const response = await api()
      .patch(`${API}/videos/${video.id}`)
      .set("Authorization", owner.bearer)
      .send({ title: "Only the title" });
    expect(response.status).toBe(200);
    expect(response.body.data.description).toBe("kept");
  });

  it("answers 400 when there is nothing to change", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const response = await api()
      .patch(`${API}/videos/${video.id}`)
      .set("Authorization", owner.bearer)
      .send({});
    expectErrorEnvelope(response, 400);
  });
});

describe("PATCH /videos/toggle/publish/:videoId", () => {
  it("flips isPublished back and forth", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const toggle = () =>
      api()
        .patch(`${API}/videos/toggle/publish/${video.id}`)
        .set("Authorization", owner.bearer);
    const first = await toggle();
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual({ isPublished: false });
    expect((await Video.findById(video._id))?.isPublished).toBe(false);
    expectErrorEnvelope(await watch(video.id), 404);
    expect((await toggle()).body.data).toEqual({ isPublished: true });
    expect((await watch(video.id)).status).toBe(200);
  });
});

describe("writes by someone other than the owner", () => {
  const writes = (videoId: string) => [
    api().patch(`${API}/videos/${videoId}`).send({ title: "Hijacked" }),
    api().patch(`${API}/videos/toggle/publish/${videoId}`),
    api().delete(`${API}/videos/${videoId}`),
  ];

  it("are refused with 403 and change nothing", async () => {
    const owner = await createUser();
    const intruder = await createUser();
    const video = await createVideo(owner, { title: "Mine" });
    for (const request of writes(video.id)) {
      expectErrorEnvelope(
        await request.set("Authorization", intruder.bearer),
        403
      );
    }
    const stored = await Video.findById(video._id);
    expect(stored?.title).toBe("Mine");
    expect(stored?.isPublished).toBe(true);
  });

  it("are refused with 403 on an unpublished video too", async () => {
    const owner = await createUser();
    const intruder = await createUser();
    const video = await createVideo(owner, { isPublished: false });
    for (const request of writes(video.id)) {
      expectErrorEnvelope(
        await request.set("Authorization", intruder.bearer),
        403
      );
    }
  });

  it("are refused with 401 without a token", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    for (const request of writes(video.id)) {
      expectErrorEnvelope(await request, 401);
    }
  });

  it("answer 404 for a video that does not exist", async () => {
    const user = await createUser();
    for (const request of writes(missingId())) {
      expectErrorEnvelope(await request.set("Authorization", user.bearer), 404);
    }
  });
});

describe("DELETE /videos/:videoId", () => {
  const seed = async () => {
    const owner = await createUser();
    const fan = await createUser();
    const video = await createVideo(owner);
    const kept = await createVideo(owner);
    await createLike(fan, "video", video);
    await createLike(owner, "video", video);
    await createLike(fan, "video", kept);
    const comment = await createComment(fan, video);
    const keptComment = await createComment(fan, kept);
    await createLike(owner, "comment", comment);
    await createLike(owner, "comment", keptComment);
    const playlist = await createPlaylist(fan, {
      videos: [video, kept],
      name: "A playlist",
    });
    const onlyThis = await createPlaylist(owner, {
      videos: [video],
      name: "A playlist",
    });
    for (const viewer of [fan, owner]) {
      await watch(video.id, viewer);
      await watch(kept.id, viewer);
    }
    return { owner, fan, video, kept, comment, playlist, onlyThis };
  };

  it("removes the video and everything that points at it, and nothing else", async () => {
    const { owner, fan, video, kept, comment, playlist, onlyThis } =
      await seed();
    const response = await api()
      .delete(`${API}/videos/${video.id}`)
      .set("Authorization", owner.bearer);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({});

    expect(await Video.exists({ _id: video._id })).toBeNull();
    expect(
      await Like.countDocuments({ targetType: "video", target: video._id })
    ).toBe(0);
    expect(await Comment.countDocuments({ video: video._id })).toBe(0);
    expect(
      await Like.countDocuments({ targetType: "comment", target: comment._id })
    ).toBe(0);
    expect(await Playlist.countDocuments({ videos: video._id })).toBe(0);
    expect(await WatchEntry.countDocuments({ video: video._id })).toBe(0);
    expect(await View.countDocuments({ video: video._id })).toBe(0);

    // The other video keeps its likes, comments, playlist places and history.
    expect(
      await Like.countDocuments({ targetType: "video", target: kept._id })
    ).toBe(1);
    expect(await Comment.countDocuments({ video: kept._id })).toBe(1);
    expect(await Like.countDocuments({ targetType: "comment" })).toBe(1);
    expect((await Playlist.findById(playlist._id))?.videos.map(String)).toEqual(
      [kept.id]
    );
    expect((await Playlist.findById(onlyThis._id))?.videos).toEqual([]);
    expect(await historyOf(fan)).toEqual([kept.id]);
    expect(await View.countDocuments({ video: kept._id })).toBe(2);

    expectErrorEnvelope(await watch(video.id, owner), 404);
    expectErrorEnvelope(
      await api()
        .delete(`${API}/videos/${video.id}`)
        .set("Authorization", owner.bearer),
      404
    );
  });

  it("hides a video whose delete was interrupted, and lets the owner finish it", async () => {
    const { owner, fan, video } = await seed();
    // As if the process died right after the first step of the delete.
    await Video.updateOne(
      { _id: video._id },
      { $set: { isPublished: false, deletingAt: new Date() } }
    );
    for (const viewer of [owner, fan, undefined]) {
      expectErrorEnvelope(await watch(video.id, viewer), 404);
    }
    const listing = await api()
      .get(`${API}/videos`)
      .query({ userId: owner.id })
      .set("Authorization", owner.bearer);
    expect(
      (listing.body.data.docs as { _id: string }[]).map((item) => item._id)
    ).not.toContain(video.id);
    expectErrorEnvelope(
      await api()
        .patch(`${API}/videos/toggle/publish/${video.id}`)
        .set("Authorization", owner.bearer),
      404
    );

    const retry = await api()
      .delete(`${API}/videos/${video.id}`)
      .set("Authorization", owner.bearer);
    expect(retry.status).toBe(200);
    expect(await Video.exists({ _id: video._id })).toBeNull();
    expect(await Comment.countDocuments({ video: video._id })).toBe(0);
  });
});
