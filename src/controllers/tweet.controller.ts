import { requireViewer } from "../middlewares/auth.middleware.js";
import { loaded } from "../middlewares/loaders.middleware.js";
import { inputOf } from "../middlewares/validate.middleware.js";
import * as schema from "../schemas/tweet.schema.js";
import * as tweets from "../services/tweet.service.js";
import { ApiResponse } from "../utils/ApiResponse.js";
import { asyncHandler } from "../utils/asyncHandler.js";

export const createTweet = asyncHandler(async (_req, res) => {
  const { body } = inputOf(res, schema.createTweet);
  const tweet = await tweets.createTweet(requireViewer(res).user, body.content);
  res.status(201).json(new ApiResponse(201, tweet, "Tweet posted"));
});

export const userTweets = asyncHandler(async (_req, res) => {
  const { params, query } = inputOf(res, schema.userTweets);
  const page = await tweets.userTweets(
    params.userId,
    res.locals.viewer?.user._id,
    query
  );
  res.json(new ApiResponse(200, page, "Tweets fetched"));
});

export const updateTweet = asyncHandler(async (_req, res) => {
  const { body } = inputOf(res, schema.updateTweet);
  const tweet = await tweets.updateTweet(
    loaded(res, "tweet"),
    requireViewer(res).user,
    body.content
  );
  res.json(new ApiResponse(200, tweet, "Tweet updated"));
});

export const deleteTweet = asyncHandler(async (_req, res) => {
  await tweets.deleteTweet(loaded(res, "tweet"));
  res.json(new ApiResponse(200, {}, "Tweet deleted"));
});
