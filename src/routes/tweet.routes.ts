import { Router } from "express";
import * as controller from "../controllers/tweet.controller.js";
import {
  authenticate,
  optionalAuthenticate,
} from "../middlewares/auth.middleware.js";
import { loadOwnTweet } from "../middlewares/tweet.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import * as schema from "../schemas/tweet.schema.js";
import { asyncHandler } from "../utils/asyncHandler.js";

const router = Router();

router.post(
  "/",
  authenticate,
  validate(schema.createTweet),
  asyncHandler(controller.createTweet)
);
router.get(
  "/user/:userId",
  optionalAuthenticate,
  validate(schema.userTweets),
  asyncHandler(controller.userTweets)
);
router.patch(
  "/:tweetId",
  authenticate,
  validate(schema.updateTweet),
  loadOwnTweet,
  asyncHandler(controller.updateTweet)
);
router.delete(
  "/:tweetId",
  authenticate,
  validate(schema.deleteTweet),
  loadOwnTweet,
  asyncHandler(controller.deleteTweet)
);

export default router;
