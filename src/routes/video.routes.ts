import { Router } from "express";
import {
  deleteVideoController,
  listVideosController,
  togglePublishController,
  updateVideoController,
  watchVideoController,
} from "../controllers/video.controller.js";
import {
  authenticate,
  optionalAuthenticate,
} from "../middlewares/auth.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import {
  loadOwnVideo,
  loadOwnVideoForDelete,
  loadVisibleVideo,
} from "../middlewares/video.middleware.js";
import {
  deleteVideo,
  listVideos,
  togglePublish,
  updateVideo,
  watchVideo,
} from "../schemas/video.schema.js";
import { asyncHandler } from "../utils/asyncHandler.js";

const router = Router();

router.get(
  "/",
  optionalAuthenticate,
  validate(listVideos),
  asyncHandler(listVideosController)
);
router.get(
  "/:videoId",
  optionalAuthenticate,
  validate(watchVideo),
  loadVisibleVideo,
  asyncHandler(watchVideoController)
);
router.patch(
  "/:videoId",
  authenticate,
  validate(updateVideo),
  loadOwnVideo,
  asyncHandler(updateVideoController)
);
router.delete(
  "/:videoId",
  authenticate,
  validate(deleteVideo),
  loadOwnVideoForDelete,
  asyncHandler(deleteVideoController)
);
router.patch(
  "/toggle/publish/:videoId",
  authenticate,
  validate(togglePublish),
  loadOwnVideo,
  asyncHandler(togglePublishController)
);

export default router;
