import { Types } from "mongoose";
import { Comment, type CommentFields } from "../models/comment.model.js";
import type { Pagination } from "../schemas/common.schema.js";
import {
  toCommentView,
  type CommentView,
} from "../presenters/comment.presenter.js";
import { ApiError } from "../utils/ApiError.js";
import { paginate, type Page } from "../utils/paginate.js";
import { deleteLikesOf, likesOf } from "./like.service.js";
import { publicUsersById } from "./publicUsers.service.js";
import { changeCounted } from "./videoCounters.service.js";

type CommentRow = CommentFields & { _id: Types.ObjectId };

/**
 * Owners, like counts and the viewer's likes for a list of comments: three
 * queries whatever the number of comments.
 */
async function toCommentViews(
  comments: CommentRow[],
  viewerId: string | undefined
): Promise<CommentView[]> {
  const ids = comments.map((comment) => comment._id);
  const [owners, likes] = await Promise.all([
    publicUsersById(comments.map((comment) => comment.owner)),
    likesOf("comment", ids, viewerId),
  ]);
  return comments.flatMap((comment) => {
    const owner = owners.get(String(comment.owner));
    if (!owner) return [];
    const id = String(comment._id);
    return [
      toCommentView(comment, owner, {
        likesCount: likes.counts.get(id) ?? 0,
        isLiked: likes.liked.has(id),
      }),
    ];
  });
}

async function oneCommentView(
  comment: CommentRow,
  viewerId: string
): Promise<CommentView> {
  const [view] = await toCommentViews([comment], viewerId);
  if (!view) throw new Error("A comment without its owner");
  return view;
}

/** A page of a video's comments, newest first. */
export async function videoComments(
  videoId: string,
  pagination: Pagination,
  viewerId?: string
): Promise<Page<CommentView>> {
  const page = await paginate(
    Comment,
    { video: new Types.ObjectId(videoId) },
    { createdAt: -1 },
    pagination
  );
  return { ...page, docs: await toCommentViews(page.docs, viewerId) };
}

export async function addComment(
  videoId: string,
  ownerId: string,
  content: string
): Promise<CommentView> {
  const { result: comment } = await changeCounted(
    new Types.ObjectId(videoId),
    "commentsCount",
    async () => ({
      result: await Comment.create({ content, video: videoId, owner: ownerId }),
      delta: 1,
    })
  );
  return oneCommentView(comment.toObject(), ownerId);
}

export async function editComment(
  commentId: string,
  content: string,
  viewerId: string
): Promise<CommentView> {
  await Comment.updateOne({ _id: commentId }, { $set: { content } });
  const comment = await Comment.findById(commentId).lean();
  // Deleted by a concurrent request between the loader and here.
  if (!comment) throw new ApiError(404, "Comment not found");
  return oneCommentView(comment, viewerId);
}

/** Its likes first, then the comment: an interruption leaves no orphan likes. */
export async function removeComment(
  commentId: Types.ObjectId,
  videoId: Types.ObjectId
): Promise<void> {
  await deleteLikesOf("comment", [commentId]);
  await changeCounted(videoId, "commentsCount", async () => {
    const { deletedCount } = await Comment.deleteOne({ _id: commentId });
    return { result: undefined, delta: -deletedCount };
  });
}

/**
 * Every comment of a video and their likes, for the video's own deletion:
 * the likes first, then the comments, so an interruption leaves no like of a
 * missing comment.
 */
export async function removeVideoComments(videoId: string): Promise<void> {
  const video = new Types.ObjectId(videoId);
  const commentIds = (await Comment.find({ video }, { _id: 1 }).lean()).map(
    (comment) => comment._id
  );
  await deleteLikesOf("comment", commentIds);
  await Comment.deleteMany({ video });
}
