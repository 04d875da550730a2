import { Router } from "express";
import {
  deleteVideoController,
  listVideosController,
  publishVideoController,
  togglePublishController,
  updateVideoController,
  watchVideoController,
} from "../controllers/video.controller.js";
import {
  authenticate,
  optionalAuthenticate,
} from "../middlewares/auth.middleware.js";
import { upload } from "../middlewares/multer.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import {
  loadOwnVideo,
  loadOwnVideoForDelete,
  loadVisibleVideo,
} from "../middlewares/video.middleware.js";
import {
  deleteVideo,
  listVideos,
  publishVideo,
  togglePublish,
  updateVideo,
  videoIdOnly,
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
router.post(
  "/",
  authenticate,
  upload.fields({ videoFile: "video", thumbnail: "image" }),
  validate(publishVideo),
  asyncHandler(publishVideoController)
);
router.get(
  "/:videoId",
  optionalAuthenticate,
  validate(watchVideo),
  loadVisibleVideo,
  asyncHandler(watchVideoController)
);
// Ownership is checked before the multipart body is read, so a stranger's
// thumbnail is refused without being received; the fields are validated
// once multer has parsed them.
router.patch(
  "/:videoId",
  authenticate,
  validate(videoIdOnly),
  loadOwnVideo,
  upload.image("thumbnail"),
  validate(updateVideo),
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
