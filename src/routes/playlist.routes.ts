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
import { readLimit, writeLimit } from "../middlewares/rateLimit.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import * as schema from "../schemas/playlist.schema.js";

const router = Router();

router.post(
  "/",
  authenticate,
  writeLimit,
  validate(schema.createPlaylist),
  controller.createPlaylist
);
router.get(
  "/user/:userId",
  optionalAuthenticate,
  readLimit,
  validate(schema.userPlaylists),
  controller.userPlaylists
);
router.patch(
  "/add/:videoId/:playlistId",
  authenticate,
  writeLimit,
  validate(schema.addVideoToPlaylist),
  loadOwnPlaylist,
  controller.addVideo
);
router.patch(
  "/remove/:videoId/:playlistId",
  authenticate,
  writeLimit,
  validate(schema.removeVideoFromPlaylist),
  loadOwnPlaylist,
  controller.removeVideo
);
router.get(
  "/:playlistId",
  optionalAuthenticate,
  readLimit,
  validate(schema.getPlaylist),
  loadPlaylist,
  controller.getPlaylist
);
router.patch(
  "/:playlistId",
  authenticate,
  writeLimit,
  validate(schema.updatePlaylist),
  loadOwnPlaylist,
  controller.updatePlaylist
);
router.delete(
  "/:playlistId",
  authenticate,
  writeLimit,
  validate(schema.deletePlaylist),
  loadOwnPlaylist,
  controller.deletePlaylist
);

export default router;
