import type { Types } from "mongoose";
import { describe, expect, it } from "vitest";
import { Comment } from "../src/models/comment.model.js";
import { Like } from "../src/models/like.model.js";
import { Video } from "../src/models/video.model.js";
import { backfillVideoCounters } from "../src/services/videoCounters.service.js";
import { createComment, createLike } from "./helpers/content.factories.js";
import { createUser, createVideo } from "./helpers/factories.js";
import { API, api } from "./helpers/http.js";

/** The counters a video keeps, and what its records say they should be. */
async function countersOf(videoId: Types.ObjectId) {
  const video = await Video.findById(videoId).lean();
  return {
    kept: { likes: video?.likesCount, comments: video?.commentsCount },
    counted: {
      likes: await Like.countDocuments({
        targetType: "video",
        target: videoId,
      }),
      comments: await Comment.countDocuments({ video: videoId }),
    },
  };
}

describe("the counters a video keeps", () => {
  it("keeps likesCount equal to its likes through 15 concurrent toggles by 10 users", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const fans = await Promise.all(
      Array.from({ length: 10 }, () => createUser())
    );
    // Five fans toggle twice at once: where each of those ends is a race,
    // so the counter must agree with whatever the records say.
    const toggles = await Promise.all(
      [...fans, ...fans.slice(0, 5)].map((fan) =>
        api()
          .post(`${API}/likes/toggle/v/${video.id}`)
          .set("Authorization", fan.bearer)
      )
    );
    for (const toggle of toggles) expect(toggle.status).toBe(200);
    const { kept, counted } = await countersOf(video._id);
    expect(counted.likes).toBeGreaterThanOrEqual(5);
    expect(kept.likes).toBe(counted.likes);
  });

  it("keeps commentsCount through adds and a delete", async () => {
    const [owner, fan] = [await createUser(), await createUser()];
    const video = await createVideo(owner);
    const added = await Promise.all(
      [1, 2, 3].map((n) =>
        api()
          .post(`${API}/comments/${video.id}`)
          .set("Authorization", fan.bearer)
          .send({ content: `comment ${n}` })
      )
    );
    for (const answer of added) expect(answer.status).toBe(201);
    expect((await countersOf(video._id)).kept.comments).toBe(3);
    const removed = await api()
      .delete(`${API}/comments/c/${added[0]!.body.data._id}`)
      .set("Authorization", fan.bearer);
    expect(removed.status).toBe(200);
    const { kept, counted } = await countersOf(video._id);
    expect(counted.comments).toBe(2);
    expect(kept.comments).toBe(2);
  });

  it("shows the kept likesCount when the video is watched", async () => {
    const [owner, fan] = [await createUser(), await createUser()];
    const video = await createVideo(owner);
    await createLike(fan, "video", video);
    const watched = await api().get(`${API}/videos/${video.id}`);
    expect(watched.body.data.likesCount).toBe(1);
  });

  it("fills the counters of videos stored before they were kept, at start-up", async () => {
    const [owner, fan] = [await createUser(), await createUser()];
    const video = await createVideo(owner);
    await createLike(fan, "video", video);
    await createComment(fan, video);
    await Video.collection.updateOne(
      { _id: video._id },
      { $unset: { likesCount: "", commentsCount: "" } }
    );
    expect(await backfillVideoCounters()).toBeGreaterThanOrEqual(1);
    expect((await countersOf(video._id)).kept).toEqual({
      likes: 1,
      comments: 1,
    });
    expect(await backfillVideoCounters()).toBe(0);
  });
});
