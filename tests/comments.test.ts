import { describe, expect, it } from "vitest";
import { Comment } from "../src/models/comment.model.js";
import { Like } from "../src/models/like.model.js";
import { removeVideoComments } from "../src/services/comment.service.js";
import {
  createUser,
  createVideo,
  missingId,
  publicViewOf,
} from "./helpers/factories.js";
import { API, api, expectErrorEnvelope, warmAuth } from "./helpers/http.js";
import { expectDocumented } from "./helpers/assertions.js";
import {
  countQueries,
  createComment,
  recordCommands,
  leakedSecrets,
  createLike,
} from "./helpers/content.factories.js";

const commentsOf = (videoId: string) => `${API}/comments/${videoId}`;
const commentUrl = (commentId: string) => `${API}/comments/c/${commentId}`;

describe("GET /comments/:videoId", () => {
  it("lists a video's comments newest first with owner, likesCount and isLiked", async () => {
    const [owner, alice, bob] = [
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    const video = await createVideo(owner);
    const older = await createComment(alice, video, {
      content: "first",
      createdAt: new Date("2024-01-01T00:00:00Z"),
    });
    const newer = await createComment(bob, video, {
      content: "second",
      createdAt: new Date("2024-01-02T00:00:00Z"),
    });
    await createLike(alice, "comment", older);
    await createLike(bob, "comment", older);
    await createLike(owner, "comment", newer);

    const response = await api()
      .get(commentsOf(video.id as string))
      .set("Authorization", alice.bearer);

    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      totalDocs: 2,
      page: 1,
      limit: 10,
      totalPages: 1,
      hasNextPage: false,
    });
    const docs = response.body.data.docs;
    expect(docs.map((doc: { content: string }) => doc.content)).toEqual([
      "second",
      "first",
    ]);
    expect(docs[0]).toMatchObject({
      _id: String(newer._id),
      video: video.id,
      likesCount: 1,
      isLiked: false,
      owner: publicViewOf(bob),
    });
    expect(docs[1]).toMatchObject({ likesCount: 2, isLiked: true });
    expect(Object.keys(docs[0].owner).sort()).toEqual(
      ["_id", "avatar", "coverImage", "fullName", "username"].sort()
    );
    expect(
      leakedSecrets(response.body, [bob.user.email, owner.user.email])
    ).toEqual([]);
  });

  it("works without a token, with isLiked false everywhere", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const comment = await createComment(owner, video);
    await createLike(owner, "comment", comment);
    const response = await api().get(commentsOf(video.id as string));
    expect(response.status).toBe(200);
    expect(response.body.data.docs[0]).toMatchObject({
      likesCount: 1,
      isLiked: false,
    });
  });

  it("paginates with page and limit", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    for (let day = 1; day <= 5; day++) {
      await createComment(owner, video, {
        content: `day ${day}`,
        createdAt: new Date(`2024-01-0${day}T00:00:00Z`),
      });
    }
    const response = await api().get(
      `${commentsOf(video.id as string)}?page=2&limit=2`
    );
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      totalDocs: 5,
      totalPages: 3,
      page: 2,
      limit: 2,
      hasPrevPage: true,
      hasNextPage: true,
      prevPage: 1,
      nextPage: 3,
      pagingCounter: 3,
    });
    expect(
      response.body.data.docs.map((doc: { content: string }) => doc.content)
    ).toEqual(["day 3", "day 2"]);
  });

  it("answers 404 for a video that does not exist", async () => {
    expectErrorEnvelope(await api().get(commentsOf(missingId())), 404);
  });

  it("answers 404 for an unpublished video to everyone but its owner", async () => {
    const [owner, stranger] = [await createUser(), await createUser()];
    const video = await createVideo(owner, { isPublished: false });
    await createComment(owner, video);
    expectErrorEnvelope(await api().get(commentsOf(video.id as string)), 404);
    expectErrorEnvelope(
      await api()
        .get(commentsOf(video.id as string))
        .set("Authorization", stranger.bearer),
      404
    );
    const own = await api()
      .get(commentsOf(video.id as string))
      .set("Authorization", owner.bearer);
    expect(own.status).toBe(200);
    expect(own.body.data.totalDocs).toBe(1);
  });

  it("costs the same number of database commands for a page of 10 as for a page of 2", async () => {
    const [owner, viewer] = [await createUser(), await createUser()];
    const small = await createVideo(owner);
    const large = await createVideo(owner);
    const commenters = [owner, viewer];
    for (let index = 0; index < 10; index++) {
      const author = commenters[index % 2] ?? owner;
      const onLarge = await createComment(author, large);
      await createLike(viewer, "comment", onLarge);
      if (index < 2) {
        const onSmall = await createComment(author, small);
        await createLike(viewer, "comment", onSmall);
      }
    }
    const fetchPage = async (videoId: string) => {
      const response = await api()
        .get(commentsOf(videoId))
        .set("Authorization", viewer.bearer);
      expect(response.status).toBe(200);
      return response.body.data.docs.length as number;
    };
    await warmAuth(viewer);
    let smallDocs = 0;
    let largeDocs = 0;
    const smallCost = await countQueries(async () => {
      smallDocs = await fetchPage(small.id as string);
    });
    const largeCost = await countQueries(async () => {
      largeDocs = await fetchPage(large.id as string);
    });
    expect([smallDocs, largeDocs]).toEqual([2, 10]);
    // the video (1), the page and its count (2), owners, like counts, isLiked (3); auth is cached
    expect(smallCost).toBeGreaterThan(0);
    expect(smallCost).toBeLessThanOrEqual(6);
    expect(largeCost).toBe(smallCost);
  });
});

describe("POST /comments/:videoId", () => {
  it("adds a trimmed comment and answers 201 with it", async () => {
    const [owner, alice] = [await createUser(), await createUser()];
    const video = await createVideo(owner);
    const response = await api()
      .post(commentsOf(video.id as string))
      .set("Authorization", alice.bearer)
      .send({ content: "  Nice video!  " });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ statusCode: 201, success: true });
    expect(response.body.data).toMatchObject({
      content: "Nice video!",
      video: video.id,
      owner: { _id: alice.id, username: alice.user.username },
      likesCount: 0,
      isLiked: false,
    });
    const stored = await Comment.findById(response.body.data._id).lean();
    expect(stored?.content).toBe("Nice video!");
    expect(String(stored?.owner)).toBe(alice.id);
    expect(leakedSecrets(response.body, [])).toEqual([]);
  });

  it("lets the owner comment on their own unpublished video", async () => {
    const owner = await createUser();
    const video = await createVideo(owner, { isPublished: false });
    const response = await api()
      .post(commentsOf(video.id as string))
      .set("Authorization", owner.bearer)
      .send({ content: "note to self" });
    expect(response.status).toBe(201);
  });

  it("answers 401 without a token", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    expectErrorEnvelope(
      await api()
        .post(commentsOf(video.id as string))
        .send({ content: "hi" }),
      401
    );
    expect(await Comment.countDocuments({ video: video._id })).toBe(0);
  });

  it("answers 404 for a missing video or someone else's unpublished one", async () => {
    const [owner, alice] = [await createUser(), await createUser()];
    const hidden = await createVideo(owner, { isPublished: false });
    for (const videoId of [missingId(), hidden.id as string]) {
      expectErrorEnvelope(
        await api()
          .post(commentsOf(videoId))
          .set("Authorization", alice.bearer)
          .send({ content: "hi" }),
        404
      );
    }
    expect(await Comment.countDocuments({ video: hidden._id })).toBe(0);
  });
});

describe("PATCH /comments/c/:commentId", () => {
  it("lets the author edit the content", async () => {
    const [owner, alice] = [await createUser(), await createUser()];
    const video = await createVideo(owner);
    const comment = await createComment(alice, video, { content: "old" });
    await createLike(owner, "comment", comment);
    const response = await api()
      .patch(commentUrl(String(comment._id)))
      .set("Authorization", alice.bearer)
      .send({ content: " new " });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      _id: String(comment._id),
      content: "new",
      likesCount: 1,
      isLiked: false,
      owner: { _id: alice.id },
    });
    expect((await Comment.findById(comment._id).lean())?.content).toBe("new");
  });

  it("answers 403 to anyone but the author, the video's owner included", async () => {
    const [owner, alice, stranger] = [
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    const video = await createVideo(owner);
    const comment = await createComment(alice, video, { content: "mine" });
    for (const user of [owner, stranger]) {
      expectErrorEnvelope(
        await api()
          .patch(commentUrl(String(comment._id)))
          .set("Authorization", user.bearer)
          .send({ content: "hijacked" }),
        403
      );
    }
    expect((await Comment.findById(comment._id).lean())?.content).toBe("mine");
  });

  it("answers 401 without a token and 404 for a missing comment", async () => {
    const alice = await createUser();
    expectErrorEnvelope(
      await api().patch(commentUrl(missingId())).send({ content: "x" }),
      401
    );
    expectErrorEnvelope(
      await api()
        .patch(commentUrl(missingId()))
        .set("Authorization", alice.bearer)
        .send({ content: "x" }),
      404
    );
  });
});

describe("DELETE /comments/c/:commentId", () => {
  it("lets the author delete the comment, and its likes go too", async () => {
    const [owner, alice] = [await createUser(), await createUser()];
    const video = await createVideo(owner);
    const comment = await createComment(alice, video);
    const kept = await createComment(owner, video);
    await createLike(owner, "comment", comment);
    await createLike(alice, "comment", comment);
    await createLike(alice, "comment", kept);
    const response = await api()
      .delete(commentUrl(String(comment._id)))
      .set("Authorization", alice.bearer);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ commentId: String(comment._id) });
    expect(await Comment.exists({ _id: comment._id })).toBeNull();
    expect(
      await Like.countDocuments({ targetType: "comment", target: comment._id })
    ).toBe(0);
    expect(
      await Like.countDocuments({ targetType: "comment", target: kept._id })
    ).toBe(1);
  });

  it("deletes the likes before the comment, so an interruption leaves no orphan like", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const comment = await createComment(owner, video);
    await createLike(owner, "comment", comment);
    const commands = await recordCommands(async () => {
      const response = await api()
        .delete(commentUrl(String(comment._id)))
        .set("Authorization", owner.bearer);
      expect(response.status).toBe(200);
    });
    const likesGone = commands.indexOf("likes.deleteMany");
    const commentGone = commands.indexOf("comments.deleteOne");
    expect(likesGone).toBeGreaterThanOrEqual(0);
    expect(commentGone).toBeGreaterThan(likesGone);
  });

  it("lets the video's owner delete someone else's comment", async () => {
    const [owner, alice] = [await createUser(), await createUser()];
    const video = await createVideo(owner);
    const comment = await createComment(alice, video);
    const response = await api()
      .delete(commentUrl(String(comment._id)))
      .set("Authorization", owner.bearer);
    expect(response.status).toBe(200);
    expect(await Comment.exists({ _id: comment._id })).toBeNull();
  });

  it("answers 403 to a user who is neither the author nor the video's owner", async () => {
    const [owner, alice, stranger] = [
      await createUser(),
      await createUser(),
      await createUser(),
    ];
    const video = await createVideo(owner);
    const comment = await createComment(alice, video);
    await createLike(owner, "comment", comment);
    expectErrorEnvelope(
      await api()
        .delete(commentUrl(String(comment._id)))
        .set("Authorization", stranger.bearer),
      403
    );
    expect(await Comment.exists({ _id: comment._id })).not.toBeNull();
    expect(await Like.countDocuments({ target: comment._id })).toBe(1);
  });

  it("answers 401 without a token and 404 for a missing comment", async () => {
    const alice = await createUser();
    expectErrorEnvelope(await api().delete(commentUrl(missingId())), 401);
    expectErrorEnvelope(
      await api()
        .delete(commentUrl(missingId()))
        .set("Authorization", alice.bearer),
      404
    );
  });

  it("answers 404 to a second delete of the same comment", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const comment = await createComment(owner, video);
    const first = await api()
      .delete(commentUrl(String(comment._id)))
      .set("Authorization", owner.bearer);
    expect(first.status).toBe(200);
    expectErrorEnvelope(
      await api()
        .delete(commentUrl(String(comment._id)))
        .set("Authorization", owner.bearer),
      404
    );
  });
});

describe("the comments API document", () => {
  it("lists every comments endpoint in the OpenAPI document", async () => {
    const response = await api().get("/api-docs/openapi.json");
    expectDocumented(response.body, {
      "/api/v1/comments/{videoId}": ["get", "post"],
      "/api/v1/comments/c/{commentId}": ["patch", "delete"],
    });
  });
});

describe("removing a video's comments (for the video's deletion)", () => {
  it("removes every comment of the video and their likes, and nothing else", async () => {
    const [owner, alice] = [await createUser(), await createUser()];
    const video = await createVideo(owner);
    const other = await createVideo(owner);
    const comments = [
      await createComment(alice, video),
      await createComment(owner, video),
    ];
    const kept = await createComment(alice, other);
    for (const comment of [...comments, kept]) {
      await createLike(alice, "comment", comment);
    }
    await createLike(alice, "video", video);

    await removeVideoComments(video.id as string);

    expect(await Comment.countDocuments({ video: video._id })).toBe(0);
    expect(
      await Like.countDocuments({
        targetType: "comment",
        target: { $in: comments.map((comment) => comment._id) },
      })
    ).toBe(0);
    expect(await Comment.exists({ _id: kept._id })).not.toBeNull();
    expect(await Like.countDocuments({ target: kept._id })).toBe(1);
    expect(await Like.countDocuments({ target: video._id })).toBe(1);
  });
});
