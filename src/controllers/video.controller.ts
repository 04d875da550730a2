import { requireViewer } from "../middlewares/auth.middleware.js";
import {
  requiredFile,
  uploadedFile,
} from "../middlewares/multer.middleware.js";
import { inputOf } from "../middlewares/validate.middleware.js";
import { loaded } from "../middlewares/loaders.middleware.js";
import {
  listVideos,
  publishVideo,
  publishVideoFromUploads,
  updateVideo,
} from "../schemas/video.schema.js";
import {
  deleteVideoCascade,
  listVideos as listVideosPage,
  publishVideo as publishVideoWithUploads,
  publishVideoFromUploads as publishVideoFromResumable,
  togglePublish,
  updateVideoDetails,
  ownVideoDetail,
  watchVideo,
} from "../services/video.service.js";
import { ApiResponse } from "../utils/ApiResponse.js";
import { asyncHandler } from "../utils/asyncHandler.js";

export const listVideosController = asyncHandler(async (_req, res) => {
  const { query } = inputOf(res, listVideos);
  const page = await listVideosPage(
    query,
    res.locals.viewer?.user.id as string | undefined
  );
  res.status(200).json(new ApiResponse(200, page, "Videos fetched"));
});

export const publishVideoController = asyncHandler(async (req, res) => {
  const { user } = requireViewer(res);
  const { body } = inputOf(res, publishVideo);
  const files = {
    videoFile: requiredFile(req, "videoFile"),
    thumbnail: requiredFile(req, "thumbnail"),
  };
  const video = await publishVideoWithUploads(user.id as string, body, files);
  res
    .status(201)
    .json(new ApiResponse(201, ownVideoDetail(video, user), "Video published"));
});

export const publishFromUploadsController = asyncHandler(async (_req, res) => {
  const { user } = requireViewer(res);
  const { videoUploadId, thumbnailUploadId, ...details } = inputOf(
    res,
    publishVideoFromUploads
  ).body;
  const video = await publishVideoFromResumable(user.id as string, details, {
    videoUploadId,
    thumbnailUploadId,
  });
  res
    .status(201)
    .json(new ApiResponse(201, ownVideoDetail(video, user), "Video published"));
});

export const watchVideoController = asyncHandler(async (_req, res) => {
  const video = await watchVideo(
    loaded(res, "video"),
    res.locals.viewer?.user.id as string | undefined
  );
  res.status(200).json(new ApiResponse(200, video, "Video fetched"));
});

export const updateVideoController = asyncHandler(async (req, res) => {
  const { body } = inputOf(res, updateVideo);
  const thumbnail = uploadedFile(req, "thumbnail");
  const video = await updateVideoDetails(loaded(res, "video"), body, thumbnail);
  const { user } = requireViewer(res);
  res
    .status(200)
    .json(new ApiResponse(200, ownVideoDetail(video, user), "Video updated"));
});

export const togglePublishController = asyncHandler(async (_req, res) => {
  requireViewer(res);
  const state = await togglePublish(loaded(res, "video"));
  res
    .status(200)
    .json(
      new ApiResponse(
        200,
        state,
        state.isPublished ? "Video published" : "Video unpublished"
      )
    );
});

export const deleteVideoController = asyncHandler(async (_req, res) => {
  await deleteVideoCascade(loaded(res, "video"));
  res.status(200).json(new ApiResponse(200, {}, "Video deleted"));
});
