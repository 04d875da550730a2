import { Router } from "express";
import * as controller from "../controllers/dashboard.controller.js";
import { authenticate } from "../middlewares/auth.middleware.js";
import { readLimit } from "../middlewares/rateLimit.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import * as schema from "../schemas/dashboard.schema.js";

const router = Router();

router.get(
  "/stats",
  authenticate,
  readLimit,
  validate(schema.channelStats),
  controller.channelStats
);
router.get(
  "/videos",
  authenticate,
  readLimit,
  validate(schema.channelVideos),
  controller.channelVideos
);

export default router;
