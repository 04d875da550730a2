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
import {
  readLimit,
  uploadLimit,
  writeLimit,
} from "../middlewares/rateLimit.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import {
  loadOwnVideo,
  loadOwnVideoForDelete,
  loadVisibleVideo,
} from "../middlewares/loaders.middleware.js";
import {
  deleteVideo,
  listVideos,
  publishVideo,
  togglePublish,
  updateVideo,
  videoIdOnly,
  watchVideo,
} from "../schemas/video.schema.js";

const router = Router();

router.get(
  "/",
  optionalAuthenticate,
  readLimit,
  validate(listVideos),
  listVideosController
);
router.post(
  "/",
  authenticate,
  uploadLimit,
  upload.fields({ videoFile: "video", thumbnail: "image" }, publishVideo.body),
  validate(publishVideo),
  publishVideoController
);
router.get(
  "/:videoId",
  optionalAuthenticate,
  readLimit,
  validate(watchVideo),
  loadVisibleVideo,
  watchVideoController
);
// Ownership is checked before the multipart body is read, so a stranger's
// thumbnail is refused without being received; the fields are validated
// once multer has parsed them.
router.patch(
  "/:videoId",
  authenticate,
  writeLimit,
  validate(videoIdOnly),
  loadOwnVideo,
  upload.image("thumbnail"),
  validate(updateVideo),
  updateVideoController
);
router.delete(
  "/:videoId",
  authenticate,
  writeLimit,
  validate(deleteVideo),
  loadOwnVideoForDelete,
  deleteVideoController
);
router.patch(
  "/toggle/publish/:videoId",
  authenticate,
  writeLimit,
  validate(togglePublish),
  loadOwnVideo,
  togglePublishController
);

export default router;
