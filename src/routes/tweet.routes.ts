import { Router } from "express";
import * as controller from "../controllers/tweet.controller.js";
import {
  authenticate,
  optionalAuthenticate,
} from "../middlewares/auth.middleware.js";
import { loadOwnTweet } from "../middlewares/loaders.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import * as schema from "../schemas/tweet.schema.js";

const router = Router();

router.post(
  "/",
  authenticate,
  validate(schema.createTweet),
  controller.createTweet
);
router.get(
  "/user/:userId",
  optionalAuthenticate,
  validate(schema.userTweets),
  controller.userTweets
);
router.patch(
  "/:tweetId",
  authenticate,
  validate(schema.updateTweet),
  loadOwnTweet,
  controller.updateTweet
);
router.delete(
  "/:tweetId",
  authenticate,
  validate(schema.deleteTweet),
  loadOwnTweet,
  controller.deleteTweet
);

export default router;
