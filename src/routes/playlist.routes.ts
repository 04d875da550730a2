import { Router } from "express";
import * as controller from "../controllers/playlist.controller.js";
import {
  authenticate,
  optionalAuthenticate,
} from "../middlewares/auth.middleware.js";
import {
  loadOwnPlaylist,
  loadPlaylist,
} from "../middlewares/loaders.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import * as schema from "../schemas/playlist.schema.js";

const router = Router();

router.post(
  "/",
  authenticate,
  validate(schema.createPlaylist),
  controller.createPlaylist
);
router.get(
  "/user/:userId",
  optionalAuthenticate,
  validate(schema.userPlaylists),
  controller.userPlaylists
);
router.patch(
  "/add/:videoId/:playlistId",
  authenticate,
  validate(schema.addVideoToPlaylist),
  loadOwnPlaylist,
  controller.addVideo
);
router.patch(
  "/remove/:videoId/:playlistId",
  authenticate,
  validate(schema.removeVideoFromPlaylist),
  loadOwnPlaylist,
  controller.removeVideo
);
router.get(
  "/:playlistId",
  optionalAuthenticate,
  validate(schema.getPlaylist),
  loadPlaylist,
  controller.getPlaylist
);
router.patch(
  "/:playlistId",
  authenticate,
  validate(schema.updatePlaylist),
  loadOwnPlaylist,
  controller.updatePlaylist
);
router.delete(
  "/:playlistId",
  authenticate,
  validate(schema.deletePlaylist),
  loadOwnPlaylist,
  controller.deletePlaylist
);

export default router;
