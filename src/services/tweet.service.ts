import type { Types } from "mongoose";
import { Like } from "../models/like.model.js";
import {
  Tweet,
  type TweetDocument,
  type TweetFields,
} from "../models/tweet.model.js";
import { User } from "../models/user.model.js";
import { toTweetJson, type TweetJson } from "../presenters/tweet.presenter.js";
import {
  PUBLIC_USER_FIELDS,
  toPublicUser,
  type PublicUser,
} from "../presenters/user.presenter.js";
import type { Pagination } from "../schemas/common.schema.js";
import { ApiError } from "../utils/ApiError.js";
import { mapPage, paginate, type Page } from "../utils/paginate.js";
import { countByField, presentIds } from "./counts.service.js";

type TweetRecord = TweetFields & { _id: Types.ObjectId };

const TWEET_LIKES = { targetType: "tweet" } as const;

/**
 * Tweets of one owner with their likes: one count query and (for a viewer)
 * one "liked" query for the whole list, whatever its length.
 */
async function withLikes(
  tweets: TweetRecord[],
  owner: PublicUser,
  viewerId: Types.ObjectId | undefined
): Promise<TweetJson[]> {
  const ids = tweets.map((tweet) => tweet._id);
  const [likes, liked] = await Promise.all([
    countByField(Like, "target", ids, TWEET_LIKES),
    viewerId === undefined
      ? new Set<string>()
      : presentIds(Like, "target", ids, { ...TWEET_LIKES, likedBy: viewerId }),
  ]);
  return tweets.map((tweet) =>
    toTweetJson(tweet, owner, {
      likesCount: likes.get(String(tweet._id)) ?? 0,
      isLiked: liked.has(String(tweet._id)),
    })
  );
}

export async function createTweet(
  owner: Parameters<typeof toPublicUser>[0],
  content: string
): Promise<TweetJson> {
  const tweet = await Tweet.create({ content, owner: owner._id });
  return toTweetJson(tweet, toPublicUser(owner), {
    likesCount: 0,
    isLiked: false,
  });
}

export async function userTweets(
  userId: string,
  viewerId: Types.ObjectId | undefined,
  pagination: Pagination
): Promise<Page<TweetJson>> {
  const user = await User.findById(userId, PUBLIC_USER_FIELDS).lean();
  if (!user) throw new ApiError(404, "User not found");
  const page = await paginate(
    Tweet,
    { owner: user._id },
    { createdAt: -1 },
    pagination
  );
  const tweets = await withLikes(page.docs, toPublicUser(user), viewerId);
  return mapPage(page, () => tweets);
}

export async function updateTweet(
  tweet: TweetDocument,
  author: Parameters<typeof toPublicUser>[0] & { _id: Types.ObjectId },
  content: string
): Promise<TweetJson> {
  await Tweet.updateOne({ _id: tweet._id }, { $set: { content } });
  const fresh = await Tweet.findById(tweet._id).lean();
  if (!fresh) throw new ApiError(404, "Tweet not found");
  const [json] = await withLikes([fresh], toPublicUser(author), author._id);
  if (!json) throw new ApiError(404, "Tweet not found");
  return json;
}

/** Likes first, then the tweet: an interruption never leaves likes of a deleted tweet. */
export async function deleteTweet(tweet: TweetDocument): Promise<void> {
  await Like.deleteMany({ ...TWEET_LIKES, target: tweet._id });
  await Tweet.deleteOne({ _id: tweet._id });
}
