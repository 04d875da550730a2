import type { Request, Response } from "express";
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

export const toggleVideoLikeController = (_req: Request, res: Response) =>
  answerToggle(res, "video", inputOf(res, toggleVideoLike).params.videoId);

export const toggleCommentLikeController = (_req: Request, res: Response) =>
  answerToggle(
    res,
    "comment",
    inputOf(res, toggleCommentLike).params.commentId
  );

export const toggleTweetLikeController = (_req: Request, res: Response) =>
  answerToggle(res, "tweet", inputOf(res, toggleTweetLike).params.tweetId);

export async function likedVideosController(_req: Request, res: Response) {
  const { query } = inputOf(res, listLikedVideos);
  const page = await likes.likedVideos(
    requireViewer(res).user.id as string,
    query
  );
  res.status(200).json(new ApiResponse(200, page, "Liked videos fetched"));
}
