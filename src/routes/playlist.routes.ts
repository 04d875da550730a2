import { Router } from "express";
import * as controller from "../controllers/playlist.controller.js";
import {
  authenticate,
  optionalAuthenticate,
} from "../middlewares/auth.middleware.js";
import {
  loadOwnPlaylist,
  loadPlaylist,
} from "../middlewares/playlist.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import * as schema from "../schemas/playlist.schema.js";
import { asyncHandler } from "../utils/asyncHandler.js";

const router = Router();

router.post(
  "/",
  authenticate,
  validate(schema.createPlaylist),
  asyncHandler(controller.createPlaylist)
);
router.get(
  "/user/:userId",
  optionalAuthenticate,
  validate(schema.userPlaylists),
  asyncHandler(controller.userPlaylists)
);
router.patch(
  "/add/:videoId/:playlistId",
  authenticate,
  validate(schema.addVideoToPlaylist),
  loadOwnPlaylist,
  asyncHandler(controller.addVideo)
);
router.patch(
  "/remove/:videoId/:playlistId",
  authenticate,
  validate(schema.removeVideoFromPlaylist),
  loadOwnPlaylist,
  asyncHandler(controller.removeVideo)
);
router.get(
  "/:playlistId",
  optionalAuthenticate,
  validate(schema.getPlaylist),
  loadPlaylist,
  asyncHandler(controller.getPlaylist)
);
router.patch(
  "/:playlistId",
  authenticate,
  validate(schema.updatePlaylist),
  loadOwnPlaylist,
  asyncHandler(controller.updatePlaylist)
);
router.delete(
  "/:playlistId",
  authenticate,
  validate(schema.deletePlaylist),
  loadOwnPlaylist,
  asyncHandler(controller.deletePlaylist)
);

export default router;
