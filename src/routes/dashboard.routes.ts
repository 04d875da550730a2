import { Router } from "express";
import * as controller from "../controllers/dashboard.controller.js";
import { authenticate } from "../middlewares/auth.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import * as schema from "../schemas/dashboard.schema.js";
import { asyncHandler } from "../utils/asyncHandler.js";

const router = Router();

router.get(
  "/stats",
  authenticate,
  validate(schema.channelStats),
  asyncHandler(controller.channelStats)
);
router.get(
  "/videos",
  authenticate,
  validate(schema.channelVideos),
  asyncHandler(controller.channelVideos)
);

export default router;
