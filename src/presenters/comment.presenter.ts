import type { Types } from "mongoose";
import type { CommentFields } from "../models/comment.model.js";
import type { PublicUser } from "./user.presenter.js";

export interface CommentView {
  _id: string;
  content: string;
  video: string;
  owner: PublicUser;
  likesCount: number;
  isLiked: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const toCommentView = (
  comment: CommentFields & { _id: Types.ObjectId },
  owner: PublicUser,
  likes: { likesCount: number; isLiked: boolean }
): CommentView => ({
  _id: String(comment._id),
  content: comment.content,
  video: String(comment.video),
  owner,
  ...likes,
  createdAt: comment.createdAt,
  updatedAt: comment.updatedAt,
});
