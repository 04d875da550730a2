import type { Request, Response } from "express";
import { requireViewer } from "../middlewares/auth.middleware.js";
import {
  requiredFile,
  uploadedFile,
} from "../middlewares/multer.middleware.js";
import { inputOf } from "../middlewares/validate.middleware.js";
import { loadedVideo } from "../middlewares/video.middleware.js";
import {
  listVideos,
  publishVideo,
  updateVideo,
} from "../schemas/video.schema.js";
import {
  deleteVideoCascade,
  listVideos as listVideosPage,
  publishVideo as publishVideoWithUploads,
  togglePublish,
  updateVideoDetails,
  videoWithOwner,
  watchVideo,
} from "../services/video.service.js";
import { ApiError } from "../utils/ApiError.js";
import { ApiResponse } from "../utils/ApiResponse.js";

export const listVideosController = async (_req: Request, res: Response) => {
  const { query } = inputOf(res, listVideos);
  const page = await listVideosPage(
    query,
    res.locals.viewer?.user.id as string | undefined
  );
  res.status(200).json(new ApiResponse(200, page, "Videos fetched"));
};

export const publishVideoController = async (req: Request, res: Response) => {
  const { user } = requireViewer(res);
  const { body } = inputOf(res, publishVideo);
  const files = {
    videoFile: requiredFile(req, "videoFile"),
    thumbnail: requiredFile(req, "thumbnail"),
  };
  const video = await publishVideoWithUploads(user.id as string, body, files);
  res
    .status(201)
    .json(new ApiResponse(201, await videoWithOwner(video), "Video published"));
};

export const watchVideoController = async (_req: Request, res: Response) => {
  const video = await watchVideo(
    loadedVideo(res),
    res.locals.viewer?.user.id as string | undefined
  );
  res.status(200).json(new ApiResponse(200, video, "Video fetched"));
};

export const updateVideoController = async (req: Request, res: Response) => {
  const { body } = inputOf(res, updateVideo);
  const thumbnail = uploadedFile(req, "thumbnail");
  if (
    body.title === undefined &&
    body.description === undefined &&
    !thumbnail
  ) {
    throw new ApiError(400, "Nothing to change", [
      { path: "title", message: "Send a title, a description or a thumbnail" },
    ]);
  }
  const video = await updateVideoDetails(loadedVideo(res), body, thumbnail);
  res
    .status(200)
    .json(new ApiResponse(200, await videoWithOwner(video), "Video updated"));
};

export const togglePublishController = async (_req: Request, res: Response) => {
  requireViewer(res);
  const state = await togglePublish(loadedVideo(res));
  res
    .status(200)
    .json(
      new ApiResponse(
        200,
        state,
        state.isPublished ? "Video published" : "Video unpublished"
      )
    );
};

export const deleteVideoController = async (_req: Request, res: Response) => {
  await deleteVideoCascade(loadedVideo(res));
  res.status(200).json(new ApiResponse(200, {}, "Video deleted"));
};
