import type { Request, Response } from "express";
import { requireViewer } from "../middlewares/auth.middleware.js";
import { loadedTweet } from "../middlewares/tweet.middleware.js";
import { inputOf } from "../middlewares/validate.middleware.js";
import * as schema from "../schemas/tweet.schema.js";
import * as tweets from "../services/tweet.service.js";
import { ApiResponse } from "../utils/ApiResponse.js";

export async function createTweet(_req: Request, res: Response) {
  const { body } = inputOf(res, schema.createTweet);
  const tweet = await tweets.createTweet(requireViewer(res).user, body.content);
  res.status(201).json(new ApiResponse(201, tweet, "Tweet posted"));
}

export async function userTweets(_req: Request, res: Response) {
  const { params, query } = inputOf(res, schema.userTweets);
  const page = await tweets.userTweets(
    params.userId,
    res.locals.viewer?.user._id,
    query
  );
  res.json(new ApiResponse(200, page, "Tweets fetched"));
}

export async function updateTweet(_req: Request, res: Response) {
  const { body } = inputOf(res, schema.updateTweet);
  const tweet = await tweets.updateTweet(
    loadedTweet(res),
    requireViewer(res).user,
    body.content
  );
  res.json(new ApiResponse(200, tweet, "Tweet updated"));
}

export async function deleteTweet(_req: Request, res: Response) {
  await tweets.deleteTweet(loadedTweet(res));
  res.json(new ApiResponse(200, {}, "Tweet deleted"));
}
