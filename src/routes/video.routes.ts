import { Router, type RequestHandler } from "express";
import {
  deleteVideoController,
  listVideosController,
  publishFromUploadsController,
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
  publishVideoFromUploads,
  togglePublish,
  updateVideo,
  videoIdOnly,
  watchVideo,
} from "../schemas/video.schema.js";

const router = Router();

/** Only a JSON body takes this route; any other skips to the next one. */
const jsonOnly: RequestHandler = (req, _res, next) => {
  next(req.is("application/json") ? undefined : "route");
};

router.get(
  "/",
  optionalAuthenticate,
  readLimit,
  validate(listVideos),
  listVideosController
);
// JSON naming finished resumable uploads; any other body (the course's
// multipart form) goes on to the next route.
router.post(
  "/",
  jsonOnly,
  authenticate,
  uploadLimit,
  validate(publishVideoFromUploads),
  publishFromUploadsController
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
