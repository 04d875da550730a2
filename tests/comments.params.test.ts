import { beforeAll, describe, expect, it } from "vitest";
import { Comment } from "../src/models/comment.model.js";
import { createUser, createVideo, type TestUser } from "./helpers/factories.js";
import { API, api } from "./helpers/http.js";
import { createComment } from "./helpers/content.factories.js";
import { expectFieldError } from "./helpers/assertions.js";
import { BAD_IDS, BAD_PAGES, badRequiredText } from "./helpers/bad-inputs.js";

let alice: TestUser;
let videoId: string;
let commentId: string;

beforeAll(async () => {
  alice = await createUser();
  const video = await createVideo(alice);
  videoId = video.id as string;
  commentId = String(
    (await createComment(alice, video, { content: "keep" }))._id
  );
});

const BAD_CONTENTS = badRequiredText(1000);

const bodyWith = (content: unknown) =>
  content === undefined ? {} : { content };

describe("comments: bad ids are 400", () => {
  for (const [why, badId] of BAD_IDS) {
    it(`GET /comments/:videoId rejects a videoId that is ${why}`, async () => {
      expectFieldError(await api().get(`${API}/comments/${badId}`), "videoId");
    });

    it(`POST /comments/:videoId rejects a videoId that is ${why}`, async () => {
      expectFieldError(
        await api()
          .post(`${API}/comments/${badId}`)
          .set("Authorization", alice.bearer)
          .send({ content: "hi" }),
        "videoId"
      );
    });

    it(`PATCH /comments/c/:commentId rejects a commentId that is ${why}`, async () => {
      expectFieldError(
        await api()
          .patch(`${API}/comments/c/${badId}`)
          .set("Authorization", alice.bearer)
          .send({ content: "hi" }),
        "commentId"
      );
    });

    it(`DELETE /comments/c/:commentId rejects a commentId that is ${why}`, async () => {
      expectFieldError(
        await api()
          .delete(`${API}/comments/c/${badId}`)
          .set("Authorization", alice.bearer),
        "commentId"
      );
    });
  }
});

describe("comments: bad pagination is 400", () => {
  for (const [why, query] of BAD_PAGES) {
    it(`GET /comments/:videoId rejects ${why}`, async () => {
      const response = await api().get(`${API}/comments/${videoId}?${query}`);
      expectFieldError(response, query.startsWith("page") ? "page" : "limit");
    });
  }
});

describe("comments: bad content is 400", () => {
  for (const [why, content] of BAD_CONTENTS) {
    it(`POST /comments/:videoId rejects content that is ${why}`, async () => {
      expectFieldError(
        await api()
          .post(`${API}/comments/${videoId}`)
          .set("Authorization", alice.bearer)
          .send(bodyWith(content)),
        "content"
      );
    });

    it(`PATCH /comments/c/:commentId rejects content that is ${why}`, async () => {
      expectFieldError(
        await api()
          .patch(`${API}/comments/c/${commentId}`)
          .set("Authorization", alice.bearer)
          .send(bodyWith(content)),
        "content"
      );
    });
  }

  it("stored nothing and changed nothing for the rejected contents", async () => {
    expect(await Comment.countDocuments({ video: videoId })).toBe(1);
    expect((await Comment.findById(commentId).lean())?.content).toBe("keep");
  });

  it("accepts 1000 characters as sent, spaces included, and stores them trimmed", async () => {
    const response = await api()
      .post(`${API}/comments/${videoId}`)
      .set("Authorization", alice.bearer)
      .send({ content: ` ${"y".repeat(998)} ` });
    expect(response.status).toBe(201);
    expect(response.body.data.content).toBe("y".repeat(998));
  });

  it("ignores fields other than content", async () => {
    const other = await createUser();
    const response = await api()
      .post(`${API}/comments/${videoId}`)
      .set("Authorization", alice.bearer)
      .send({ content: "mine", owner: other.id, video: other.id });
    expect(response.status).toBe(201);
    expect(response.body.data).toMatchObject({
      owner: { _id: alice.id },
      video: videoId,
    });
  });
});
