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
} from "../middlewares/social.loaders.js";
import { validate } from "../middlewares/validate.middleware.js";
import {
  addComment,
  deleteComment,
  listVideoComments,
  updateComment,
} from "../schemas/comment.schema.js";
import { asyncHandler } from "../utils/asyncHandler.js";

const router = Router();

router.get(
  "/:videoId",
  optionalAuthenticate,
  validate(listVideoComments),
  loadVisibleVideo,
  asyncHandler(listVideoCommentsController)
);
router.post(
  "/:videoId",
  authenticate,
  validate(addComment),
  loadVisibleVideo,
  asyncHandler(addCommentController)
);
router.patch(
  "/c/:commentId",
  authenticate,
  validate(updateComment),
  loadOwnComment,
  asyncHandler(updateCommentController)
);
router.delete(
  "/c/:commentId",
  authenticate,
  validate(deleteComment),
  loadDeletableComment,
  asyncHandler(deleteCommentController)
);

export default router;
