import type { Types } from "mongoose";
import type { TweetFields } from "../models/tweet.model.js";
import type { PublicUser } from "./user.presenter.js";

/** Text someone posted, with its likes: a tweet, and the base of a comment. */
export interface PostedText {
  _id: string;
  content: string;
  owner: PublicUser;
  likesCount: number;
  isLiked: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type TweetJson = PostedText;

type PostedRecord = Pick<TweetFields, "content" | "createdAt" | "updatedAt"> & {
  _id: Types.ObjectId;
};

export const toPostedText = (
  record: PostedRecord,
  owner: PublicUser,
  likes: { likesCount: number; isLiked: boolean }
): PostedText => ({
  _id: String(record._id),
  content: record.content,
  owner,
  ...likes,
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
});

export const toTweetJson = toPostedText;
