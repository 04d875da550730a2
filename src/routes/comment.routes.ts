import { Router } from "express";
import {
  addCommentController,
  deleteCommentController,
  listVideoCommentsController,
  updateCommentController,
} from "../controllers/comment.controller.js";
import {
  authenticate,
  optionalAuthenticate,
} from "../middlewares/auth.middleware.js";
import {
  loadDeletableComment,
  loadOwnComment,
  loadVisibleVideo,
} from "../middlewares/loaders.middleware.js";
import { readLimit, writeLimit } from "../middlewares/rateLimit.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import {
  addComment,
  deleteComment,
  listVideoComments,
  updateComment,
} from "../schemas/comment.schema.js";

const router = Router();

router.get(
  "/:videoId",
  optionalAuthenticate,
  readLimit,
  validate(listVideoComments),
  loadVisibleVideo,
  listVideoCommentsController
);
router.post(
  "/:videoId",
  authenticate,
  writeLimit,
  validate(addComment),
  loadVisibleVideo,
  addCommentController
);
router.patch(
  "/c/:commentId",
  authenticate,
  writeLimit,
  validate(updateComment),
  loadOwnComment,
  updateCommentController
);
router.delete(
  "/c/:commentId",
  authenticate,
  writeLimit,
  validate(deleteComment),
  loadDeletableComment,
  deleteCommentController
);

export default router;
