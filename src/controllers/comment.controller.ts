import type { Request, Response } from "express";
import { requireViewer } from "../middlewares/auth.middleware.js";
import { loadedComment, loadedVideo } from "../middlewares/social.loaders.js";
import { inputOf } from "../middlewares/validate.middleware.js";
import {
  addComment,
  listVideoComments,
  updateComment,
} from "../schemas/comment.schema.js";
import * as comments from "../services/comment.service.js";
import { ApiResponse } from "../utils/ApiResponse.js";

export async function listVideoCommentsController(
  _req: Request,
  res: Response
) {
  const { query } = inputOf(res, listVideoComments);
  const page = await comments.videoComments(
    loadedVideo(res).id as string,
    query,
    res.locals.viewer?.user.id as string | undefined
  );
  res.status(200).json(new ApiResponse(200, page, "Comments fetched"));
}

export async function addCommentController(_req: Request, res: Response) {
  const { body } = inputOf(res, addComment);
  const comment = await comments.addComment(
    loadedVideo(res).id as string,
    requireViewer(res).user.id as string,
    body.content
  );
  res.status(201).json(new ApiResponse(201, comment, "Comment added"));
}

export async function updateCommentController(_req: Request, res: Response) {
  const { body } = inputOf(res, updateComment);
  const comment = await comments.editComment(
    loadedComment(res).id as string,
    body.content,
    requireViewer(res).user.id as string
  );
  res.status(200).json(new ApiResponse(200, comment, "Comment updated"));
}

export async function deleteCommentController(_req: Request, res: Response) {
  const commentId = loadedComment(res).id as string;
  await comments.removeComment(commentId);
  res.status(200).json(new ApiResponse(200, { commentId }, "Comment deleted"));
}
