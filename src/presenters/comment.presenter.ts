import type { Types } from "mongoose";
import type { CommentFields } from "../models/comment.model.js";
import { toPostedText, type PostedText } from "./tweet.presenter.js";
import type { PublicUser } from "./user.presenter.js";

export interface CommentView extends PostedText {
  video: string;
}

export const toCommentView = (
  comment: CommentFields & { _id: Types.ObjectId },
  owner: PublicUser,
  likes: { likesCount: number; isLiked: boolean }
): CommentView => ({
  ...toPostedText(comment, owner, likes),
  video: String(comment.video),
});
