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
} from "../middlewares/loaders.middleware.js";
import { readLimit, writeLimit } from "../middlewares/rateLimit.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import {
  listLikedVideos,
  toggleCommentLike,
  toggleTweetLike,
  toggleVideoLike,
} from "../schemas/like.schema.js";

const router = Router();

router.post(
  "/toggle/v/:videoId",
  authenticate,
  writeLimit,
  validate(toggleVideoLike),
  loadVisibleVideo,
  toggleVideoLikeController
);
router.post(
  "/toggle/c/:commentId",
  authenticate,
  writeLimit,
  validate(toggleCommentLike),
  loadVisibleComment,
  toggleCommentLikeController
);
router.post(
  "/toggle/t/:tweetId",
  authenticate,
  writeLimit,
  validate(toggleTweetLike),
  requireTweet,
  toggleTweetLikeController
);
router.get(
  "/videos",
  authenticate,
  readLimit,
  validate(listLikedVideos),
  likedVideosController
);

export default router;
