import { Router } from "express";
import * as controller from "../controllers/tweet.controller.js";
import {
  authenticate,
  optionalAuthenticate,
} from "../middlewares/auth.middleware.js";
import { loadOwnTweet } from "../middlewares/loaders.middleware.js";
import { readLimit, writeLimit } from "../middlewares/rateLimit.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import * as schema from "../schemas/tweet.schema.js";

const router = Router();

router.post(
  "/",
  authenticate,
  writeLimit,
  validate(schema.createTweet),
  controller.createTweet
);
router.get(
  "/user/:userId",
  optionalAuthenticate,
  readLimit,
  validate(schema.userTweets),
  controller.userTweets
);
router.patch(
  "/:tweetId",
  authenticate,
  writeLimit,
  validate(schema.updateTweet),
  loadOwnTweet,
  controller.updateTweet
);
router.delete(
  "/:tweetId",
  authenticate,
  writeLimit,
  validate(schema.deleteTweet),
  loadOwnTweet,
  controller.deleteTweet
);

export default router;
