import { requireViewer } from "../middlewares/auth.middleware.js";
import { loaded } from "../middlewares/loaders.middleware.js";
import { inputOf } from "../middlewares/validate.middleware.js";
import {
  addComment,
  listVideoComments,
  updateComment,
} from "../schemas/comment.schema.js";
import * as comments from "../services/comment.service.js";
import { ApiResponse } from "../utils/ApiResponse.js";
import { asyncHandler } from "../utils/asyncHandler.js";

export const listVideoCommentsController = asyncHandler(async (_req, res) => {
  const { query } = inputOf(res, listVideoComments);
  const page = await comments.videoComments(
    loaded(res, "video").id as string,
    query,
    res.locals.viewer?.user.id as string | undefined
  );
  res.status(200).json(new ApiResponse(200, page, "Comments fetched"));
});

export const addCommentController = asyncHandler(async (_req, res) => {
  const { body } = inputOf(res, addComment);
  const comment = await comments.addComment(
    loaded(res, "video").id as string,
    requireViewer(res).user.id as string,
    body.content
  );
  res.status(201).json(new ApiResponse(201, comment, "Comment added"));
});

export const updateCommentController = asyncHandler(async (_req, res) => {
  const { body } = inputOf(res, updateComment);
  const comment = await comments.editComment(
    loaded(res, "comment").id as string,
    body.content,
    requireViewer(res).user.id as string
  );
  res.status(200).json(new ApiResponse(200, comment, "Comment updated"));
});

export const deleteCommentController = asyncHandler(async (_req, res) => {
  const comment = loaded(res, "comment");
  const commentId = comment.id as string;
  await comments.removeComment(comment._id, comment.video);
  res.status(200).json(new ApiResponse(200, { commentId }, "Comment deleted"));
});
