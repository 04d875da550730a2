import { Router } from "express";
import {
  channelSubscribersController,
  subscribedChannelsController,
  toggleSubscriptionController,
} from "../controllers/subscription.controller.js";
import {
  authenticate,
  optionalAuthenticate,
} from "../middlewares/auth.middleware.js";
import { requireUser } from "../middlewares/loaders.middleware.js";
import { readLimit, writeLimit } from "../middlewares/rateLimit.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import {
  listChannelSubscribers,
  listSubscribedChannels,
  toggleSubscription,
} from "../schemas/subscription.schema.js";

const router = Router();

router.post(
  "/c/:channelId",
  authenticate,
  writeLimit,
  validate(toggleSubscription),
  requireUser("channelId", "Channel"),
  toggleSubscriptionController
);
router.get(
  "/c/:channelId",
  optionalAuthenticate,
  readLimit,
  validate(listChannelSubscribers),
  requireUser("channelId", "Channel"),
  channelSubscribersController
);
router.get(
  "/u/:subscriberId",
  optionalAuthenticate,
  readLimit,
  validate(listSubscribedChannels),
  requireUser("subscriberId", "User"),
  subscribedChannelsController
);

export default router;
