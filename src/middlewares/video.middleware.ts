import type { RequestHandler, Response } from "express";
import { Video, type VideoDocument } from "../models/video.model.js";
import { videoIdOnly } from "../schemas/video.schema.js";
import { canWatch, findVideo } from "../services/video.service.js";
import { ApiError } from "../utils/ApiError.js";
import { asyncHandler } from "../utils/asyncHandler.js";
import { requireViewer } from "./auth.middleware.js";
import { inputOf } from "./validate.middleware.js";

declare module "express-serve-static-core" {
  interface Locals {
    /** Set by the video loaders. */
    video?: VideoDocument;
  }
}

const videoNotFound = () => new ApiError(404, "Video not found");

/** The video a loader put in `res.locals`. */
export function loadedVideo(res: Response): VideoDocument {
  if (!res.locals.video) throw videoNotFound();
  return res.locals.video;
}

/**
 * Loads the video the viewer may watch: 404 when there is none, or when it
 * is unpublished and not theirs (never a 403, which would reveal it exists).
 */
export const loadVisibleVideo: RequestHandler = asyncHandler(
  async (_req, res, next) => {
    const { videoId } = inputOf(res, videoIdOnly).params;
    const video = await findVideo(videoId);
    if (!video || !canWatch(video, res.locals.viewer?.user.id as string))
      throw videoNotFound();
    res.locals.video = video;
    next();
  }
);

function ownVideoLoader(includeDeleting: boolean): RequestHandler {
  return asyncHandler(async (_req, res, next) => {
    const { videoId } = inputOf(res, videoIdOnly).params;
    const { user } = requireViewer(res);
    const video = includeDeleting
      ? await Video.findById(videoId)
      : await findVideo(videoId);
    if (!video) throw videoNotFound();
    if (!video.owner.equals(user._id))
      throw new ApiError(403, "Only the owner may change this video");
    res.locals.video = video;
    next();
  });
}

/** Loads the caller's own video: 404 when missing, 403 when someone else's. */
export const loadOwnVideo = ownVideoLoader(false);

/**
 * As loadOwnVideo, but also finds a video whose delete was interrupted, so
 * that the owner can finish deleting it.
 */
export const loadOwnVideoForDelete = ownVideoLoader(true);
