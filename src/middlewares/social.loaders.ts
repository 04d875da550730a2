import type { RequestHandler, Response } from "express";
import type { HydratedDocument, Types } from "mongoose";
import { Comment, type CommentFields } from "../models/comment.model.js";
import { Tweet } from "../models/tweet.model.js";
import { User } from "../models/user.model.js";
import { Video, type VideoFields } from "../models/video.model.js";
import { ApiError } from "../utils/ApiError.js";
import { asyncHandler } from "../utils/asyncHandler.js";
import { requireViewer } from "./auth.middleware.js";

/**
 * Loaders for the social routes: each runs after `validate()`, fetches its
 * entity once, answers 404 / 403, and leaves the document in res.locals so
 * the controller never fetches or checks it again.
 */

export type VideoDocument = HydratedDocument<VideoFields>;
export type CommentDocument = HydratedDocument<CommentFields>;

/** A route param that validate() has already checked to be an ObjectId. */
function paramOf(res: Response, name: string): string {
  const input = res.locals.input as { params: Record<string, string> };
  const value = input.params[name];
  if (value === undefined) throw new Error(`No validated param ${name}`);
  return value;
}

const sameId = (a: Types.ObjectId | string, b: Types.ObjectId | string) =>
  String(a) === String(b);

/**
 * An unpublished video exists only for its owner, and a video whose delete
 * has started exists for no one (nothing new may point at it).
 */
function isVisibleTo(
  video: Pick<VideoFields, "isPublished" | "owner" | "deletingAt">,
  res: Response
): boolean {
  const viewer = res.locals.viewer;
  if (video.deletingAt) return false;
  return (
    video.isPublished ||
    (viewer !== undefined && sameId(video.owner, viewer.user._id))
  );
}

/** 404 unless the user named by `param` exists. */
export const requireUser = (param: string, what: string): RequestHandler =>
  asyncHandler(async (_req, res, next) => {
    if (!(await User.exists({ _id: paramOf(res, param) })))
      throw new ApiError(404, `${what} not found`);
    next();
  });

/** The video of `:videoId`, 404 when missing or unpublished and not the viewer's. */
export const loadVisibleVideo: RequestHandler = asyncHandler(
  async (_req, res, next) => {
    const video = await Video.findById(paramOf(res, "videoId"));
    if (!video || !isVisibleTo(video, res))
      throw new ApiError(404, "Video not found");
    res.locals.video = video;
    next();
  }
);

export const loadedVideo = (res: Response): VideoDocument =>
  res.locals.video as VideoDocument;

async function findComment(res: Response): Promise<CommentDocument> {
  const comment = await Comment.findById(paramOf(res, "commentId"));
  if (!comment) throw new ApiError(404, "Comment not found");
  res.locals.comment = comment;
  return comment;
}

export const loadedComment = (res: Response): CommentDocument =>
  res.locals.comment as CommentDocument;

/**
 * The comment of `:commentId` if the viewer may see it: a comment on a video
 * hidden from the viewer is as missing as the video.
 */
export const loadVisibleComment: RequestHandler = asyncHandler(
  async (_req, res, next) => {
    const comment = await findComment(res);
    const video = await Video.findById(comment.video, {
      isPublished: 1,
      owner: 1,
      deletingAt: 1,
    }).lean();
    if (!video || !isVisibleTo(video, res))
      throw new ApiError(404, "Comment not found");
    next();
  }
);

/** The comment of `:commentId`, 403 unless the viewer wrote it. */
export const loadOwnComment: RequestHandler = asyncHandler(
  async (_req, res, next) => {
    const comment = await findComment(res);
    if (!sameId(comment.owner, requireViewer(res).user._id))
      throw new ApiError(403, "Only the author can edit this comment");
    next();
  }
);

/** The comment of `:commentId`, 403 unless the viewer wrote it or owns its video. */
export const loadDeletableComment: RequestHandler = asyncHandler(
  async (_req, res, next) => {
    const comment = await findComment(res);
    const viewerId = requireViewer(res).user._id;
    if (sameId(comment.owner, viewerId)) {
      next();
      return;
    }
    const video = await Video.findById(comment.video, { owner: 1 }).lean();
    if (!video || !sameId(video.owner, viewerId))
      throw new ApiError(
        403,
        "Only the author or the video's owner can delete this comment"
      );
    next();
  }
);

/** 404 unless the tweet of `:tweetId` exists. */
export const requireTweet: RequestHandler = asyncHandler(
  async (_req, res, next) => {
    if (!(await Tweet.exists({ _id: paramOf(res, "tweetId") })))
      throw new ApiError(404, "Tweet not found");
    next();
  }
);
