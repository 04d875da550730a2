import type { RequestHandler, Response } from "express";
import type { HydratedDocument } from "mongoose";
import { Tweet, type TweetFields } from "../models/tweet.model.js";
import { idParams } from "../schemas/common.schema.js";
import { ApiError } from "../utils/ApiError.js";
import { requireViewer } from "./auth.middleware.js";
import { inputOf } from "./validate.middleware.js";

export type TweetDocument = HydratedDocument<TweetFields>;

declare module "express-serve-static-core" {
  interface Locals {
    /** Set by loadOwnTweet. */
    tweet?: TweetDocument;
  }
}

const tweetParams = { params: idParams("tweetId") };

/** The tweet named by the validated `tweetId`: 404 if missing, 403 unless the viewer wrote it. */
export const loadOwnTweet: RequestHandler = async (_req, res, next) => {
  const { tweetId } = inputOf(res, tweetParams).params;
  const tweet = await Tweet.findById(tweetId);
  if (!tweet) throw new ApiError(404, "Tweet not found");
  if (!tweet.owner.equals(requireViewer(res).user._id)) {
    throw new ApiError(403, "Only the author can change this tweet");
  }
  res.locals.tweet = tweet;
  next();
};

/** The tweet a loader put in res.locals. */
export function loadedTweet(res: Response): TweetDocument {
  if (!res.locals.tweet) throw new ApiError(404, "Tweet not found");
  return res.locals.tweet;
}
