import type { Types } from "mongoose";
import type { TweetFields } from "../models/tweet.model.js";
import type { PublicUser } from "./user.presenter.js";

export interface TweetJson {
  _id: string;
  content: string;
  owner: PublicUser;
  likesCount: number;
  isLiked: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const toTweetJson = (
  tweet: TweetFields & { _id: Types.ObjectId },
  owner: PublicUser,
  likes: { likesCount: number; isLiked: boolean }
): TweetJson => ({
  _id: String(tweet._id),
  content: tweet.content,
  owner,
  ...likes,
  createdAt: tweet.createdAt,
  updatedAt: tweet.updatedAt,
});
