import type { Response } from "express";
import { requireViewer } from "../middlewares/auth.middleware.js";
import { inputOf } from "../middlewares/validate.middleware.js";
import type { LikeTarget } from "../models/like.model.js";
import {
  listLikedVideos,
  toggleCommentLike,
  toggleTweetLike,
  toggleVideoLike,
} from "../schemas/like.schema.js";
import * as likes from "../services/like.service.js";
import { ApiResponse } from "../utils/ApiResponse.js";
import { asyncHandler } from "../utils/asyncHandler.js";

async function answerToggle(
  res: Response,
  targetType: LikeTarget,
  targetId: string
) {
  const state = await likes.toggleLike(
    targetType,
    targetId,
    requireViewer(res).user.id as string
  );
  res
    .status(200)
    .json(new ApiResponse(200, state, state.liked ? "Liked" : "Unliked"));
}

export const toggleVideoLikeController = asyncHandler((_req, res) =>
  answerToggle(res, "video", inputOf(res, toggleVideoLike).params.videoId)
);

export const toggleCommentLikeController = asyncHandler((_req, res) =>
  answerToggle(res, "comment", inputOf(res, toggleCommentLike).params.commentId)
);

export const toggleTweetLikeController = asyncHandler((_req, res) =>
  answerToggle(res, "tweet", inputOf(res, toggleTweetLike).params.tweetId)
);

export const likedVideosController = asyncHandler(async (_req, res) => {
  const { query } = inputOf(res, listLikedVideos);
  const page = await likes.likedVideos(
    requireViewer(res).user.id as string,
    query
  );
  res.status(200).json(new ApiResponse(200, page, "Liked videos fetched"));
});
