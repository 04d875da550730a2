import type { RequestHandler, Response } from "express";
import type { Types } from "mongoose";
import { Comment, type CommentDocument } from "../models/comment.model.js";
import { Playlist, type PlaylistDocument } from "../models/playlist.model.js";
import { Tweet, type TweetDocument } from "../models/tweet.model.js";
import { User } from "../models/user.model.js";
import { Video, type VideoDocument } from "../models/video.model.js";
import {
  isBeingDeleted,
  isVisibleTo,
  VISIBILITY_FIELDS,
} from "../services/videoVisibility.service.js";
import { ApiError } from "../utils/ApiError.js";
import { asyncHandler } from "../utils/asyncHandler.js";
import { requireViewer } from "./auth.middleware.js";

/**
 * Every loader of the API, one pattern: after validate(), read the entity
 * of a route param once, answer 404 when it is absent (or hidden from the
 * viewer), 403 when the route needs it to be the viewer's, and leave it in
 * res.locals so the controller never fetches or checks it again.
 */

interface Loaded {
  video: VideoDocument;
  comment: CommentDocument;
  playlist: PlaylistDocument;
  tweet: TweetDocument;
}

declare module "express-serve-static-core" {
  interface Locals {
    video?: VideoDocument;
    comment?: CommentDocument;
    playlist?: PlaylistDocument;
    tweet?: TweetDocument;
  }
}

type Id = Types.ObjectId | string;
const sameId = (a: Id, b: Id) => String(a) === String(b);
const viewerIdOf = (res: Response) => res.locals.viewer?.user._id;

interface LoaderSpec<K extends keyof Loaded> {
  local: K;
  param: string;
  find: (id: string) => Promise<Loaded[K] | null>;
  notFound: string;
  /** False answers 404, as if it did not exist. */
  visible?: (doc: Loaded[K], res: Response) => boolean | Promise<boolean>;
  /** False answers 403 with `forbidden`. */
  allowed?: (doc: Loaded[K], res: Response) => boolean | Promise<boolean>;
  forbidden?: string;
}

/** A route param that validate() has already checked to be an ObjectId. */
function paramOf(res: Response, name: string): string {
  const input = res.locals.input as { params: Record<string, string> };
  const value = input.params[name];
  if (value === undefined) throw new Error(`No validated param ${name}`);
  return value;
}

function loader<K extends keyof Loaded>(spec: LoaderSpec<K>): RequestHandler {
  return asyncHandler(async (_req, res, next) => {
    const doc = await spec.find(paramOf(res, spec.param));
    if (!doc || (spec.visible && !(await spec.visible(doc, res))))
      throw new ApiError(404, spec.notFound);
    if (spec.allowed && !(await spec.allowed(doc, res)))
      throw new ApiError(403, spec.forbidden ?? "Forbidden");
    res.locals[spec.local] = doc;
    next();
  });
}

/** The entity a loader put in res.locals. */
export function loaded<K extends keyof Loaded>(res: Response, local: K) {
  const doc = res.locals[local];
  if (!doc) throw new Error(`No ${local} was loaded for this route`);
  return doc as Loaded[K];
}

/** 404 unless the entity of `param` exists (for routes that only need its id). */
const requireExisting =
  (model: { exists(filter: object): Promise<unknown> }, notFound: string) =>
  (param: string): RequestHandler =>
    asyncHandler(async (_req, res, next) => {
      if (!(await model.exists({ _id: paramOf(res, param) })))
        throw new ApiError(404, notFound);
      next();
    });

// Videos. Looked up by _id alone (the rest is checked here, in code).
const videoLoader = (check: Pick<LoaderSpec<"video">, "visible" | "allowed">) =>
  loader({
    local: "video",
    param: "videoId",
    find: (id) => Video.findById(id),
    notFound: "Video not found",
    forbidden: "Only the owner may change this video",
    ...check,
  });
const ownsVideo = (video: VideoDocument, res: Response) =>
  video.owner.equals(requireViewer(res).user._id);

export const loadVisibleVideo = videoLoader({
  visible: (video, res) => isVisibleTo(video, viewerIdOf(res)),
});

export const loadOwnVideo = videoLoader({
  visible: (video) => !isBeingDeleted(video),
  allowed: ownsVideo,
});

/** As loadOwnVideo, but also a video whose delete was interrupted, so its owner can finish it. */
export const loadOwnVideoForDelete = videoLoader({ allowed: ownsVideo });

// Comments. A comment on a video hidden from the viewer is as missing as the video.
const videoOfComment = (comment: CommentDocument) =>
  Video.findById(comment.video, VISIBILITY_FIELDS).lean();

/** The comment of `:commentId`, with what the route adds (visibility, permission). */
const commentLoader = (
  check: Pick<LoaderSpec<"comment">, "visible" | "allowed" | "forbidden">
) =>
  loader({
    local: "comment",
    param: "commentId",
    find: (id) => Comment.findById(id),
    notFound: "Comment not found",
    ...check,
  });

export const loadVisibleComment = commentLoader({
  visible: async (comment, res) => {
    const video = await videoOfComment(comment);
    return video !== null && isVisibleTo(video, viewerIdOf(res));
  },
});

export const loadOwnComment = commentLoader({
  allowed: (comment, res) => sameId(comment.owner, requireViewer(res).user._id),
  forbidden: "Only the author can edit this comment",
});

export const loadDeletableComment = commentLoader({
  allowed: async (comment, res) => {
    const viewerId = requireViewer(res).user._id;
    if (sameId(comment.owner, viewerId)) return true;
    const video = await videoOfComment(comment);
    return video !== null && sameId(video.owner, viewerId);
  },
  forbidden: "Only the author or the video's owner can delete this comment",
});

// Playlists and tweets.
const findPlaylist = (id: string) => Playlist.findById(id);

export const loadPlaylist = loader({
  local: "playlist",
  param: "playlistId",
  find: findPlaylist,
  notFound: "Playlist not found",
});

export const loadOwnPlaylist = loader({
  local: "playlist",
  param: "playlistId",
  find: findPlaylist,
  notFound: "Playlist not found",
  allowed: (playlist, res) =>
    playlist.owner.equals(requireViewer(res).user._id),
  forbidden: "Only the owner can change this playlist",
});

export const loadOwnTweet = loader({
  local: "tweet",
  param: "tweetId",
  find: (id) => Tweet.findById(id),
  notFound: "Tweet not found",
  allowed: (tweet, res) => tweet.owner.equals(requireViewer(res).user._id),
  forbidden: "Only the author can change this tweet",
});

/** 404 unless the tweet of `:tweetId` exists. */
export const requireTweet = requireExisting(
  Tweet,
  "Tweet not found"
)("tweetId");

/** 404 unless the user named by `param` exists; `what` names them in the message. */
export const requireUser = (param: string, what: string) =>
  requireExisting(User, `${what} not found`)(param);
