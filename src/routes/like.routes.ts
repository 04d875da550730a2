import { Router } from "express";
import {
  likedVideosController,
  toggleCommentLikeController,
  toggleTweetLikeController,
  toggleVideoLikeController,
} from "../controllers/like.controller.js";
import { authenticate } from "../middlewares/auth.middleware.js";
import {
  loadVisibleComment,
  loadVisibleVideo,
  requireTweet,
} from "../middlewares/social.loaders.js";
import { validate } from "../middlewares/validate.middleware.js";
import {
  listLikedVideos,
  toggleCommentLike,
  toggleTweetLike,
  toggleVideoLike,
} from "../schemas/like.schema.js";
import { asyncHandler } from "../utils/asyncHandler.js";

const router = Router();

router.post(
  "/toggle/v/:videoId",
  authenticate,
  validate(toggleVideoLike),
  loadVisibleVideo,
  asyncHandler(toggleVideoLikeController)
);
router.post(
  "/toggle/c/:commentId",
  authenticate,
  validate(toggleCommentLike),
  loadVisibleComment,
  asyncHandler(toggleCommentLikeController)
);
router.post(
  "/toggle/t/:tweetId",
  authenticate,
  validate(toggleTweetLike),
  requireTweet,
  asyncHandler(toggleTweetLikeController)
);
router.get(
  "/videos",
  authenticate,
  validate(listLikedVideos),
  asyncHandler(likedVideosController)
);

export default router;
