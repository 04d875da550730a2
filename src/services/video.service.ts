import { Types } from "mongoose";
import { Like } from "../models/like.model.js";
import type { StoredMedia } from "../models/media.schema.js";
import {
  Video,
  type VideoDocument,
  type VideoFields,
} from "../models/video.model.js";
import { View } from "../models/view.model.js";
import {
  toVideoDetail,
  toWatchedVideo,
  type VideoDetail,
  type VideoRecord,
  type WatchedVideo,
} from "../presenters/video.presenter.js";
import type { UserDocument } from "../models/user.model.js";
import { toPublicUser } from "../presenters/user.presenter.js";
import type { ListVideosQuery } from "../schemas/video.schema.js";
import type { UploadedFile } from "../types/upload.js";
import { escapeRegex } from "../utils/escapeRegex.js";
import { pageOf, type Page } from "../utils/paginate.js";
import { ApiError } from "../utils/ApiError.js";
import { removeVideoComments } from "./comment.service.js";
import { publicUsersById } from "./publicUsers.service.js";
import { removeVideoFromAllPlaylists } from "./playlist.service.js";
import {
  isBeingDeleted,
  startDeleting,
  VISIBILITY_FIELDS,
  visibleVideosFilter,
} from "./videoVisibility.service.js";
import { forgetVideoInHistories } from "./history.service.js";
import {
  changeDocument,
  countWhere,
  findPage,
  updateDocument,
} from "../db/engine/index.js";
import { flushWatches, queueWatch } from "./watchLog.service.js";
import {
  cachedVideoList,
  cachedVideoTotal,
  forgetVideoLists,
} from "./videoListCache.service.js";
import {
  discardStored,
  persistWithUploads,
  toStoredMedia,
} from "./media.service.js";
import { publishFromUploads } from "./resumableUpload.service.js";

/** A video as a document or as a plain aggregation result. */
type VideoLike = VideoRecord & Pick<VideoFields, "owner" | "updatedAt">;

/** A page of videos with their owners, fetched in one query. */
async function withOwners(videos: VideoLike[]): Promise<VideoDetail[]> {
  const owners = await publicUsersById(videos.map((video) => video.owner));
  return videos.map((video) =>
    toVideoDetail(video, owners.get(String(video.owner)))
  );
}

/**
 * One page of videos. The global list shows published videos to everyone
 * (the viewer's own drafts included only on their channel: `userId` is
 * their id), by the visibility rule's filter.
 */
export function listVideos(
  request: ListVideosQuery,
  viewerId: string | undefined
): Promise<Page<VideoDetail>> {
  // The viewer changes the answer only on their own channel (their drafts).
  const ownChannel =
    request.userId !== undefined && request.userId === viewerId;
  return cachedVideoList({ ...request, ownChannel }, () =>
    loadVideoPage(request, viewerId, ownChannel)
  );
}

/** What a list shows of each video: the presenter's fields, no more. */
const LISTED_FIELDS = {
  videoFile: 1,
  thumbnail: 1,
  owner: 1,
  title: 1,
  description: 1,
  duration: 1,
  views: 1,
  isPublished: 1,
  createdAt: 1,
  updatedAt: 1,
} as const;

async function loadVideoPage(
  { page, limit, query, sortBy, sortType, userId }: ListVideosQuery,
  viewerId: string | undefined,
  ownChannel: boolean
): Promise<Page<VideoDetail>> {
  const visibility =
    userId === undefined
      ? visibleVideosFilter(undefined)
      : visibleVideosFilter(viewerId, userId);
  const pattern = query && { $regex: escapeRegex(query), $options: "i" };
  // In an $and, so the search can never replace an $or of the visibility rule.
  const match = pattern
    ? {
        ...visibility,
        $and: [{ $or: [{ title: pattern }, { description: pattern }] }],
      }
    : visibility;
  const direction = sortType === "asc" ? 1 : -1;
  const [videos, totalDocs] = await Promise.all([
    findPage(
      Video,
      match,
      [
        [sortBy, direction],
        ["_id", direction],
      ],
      { skip: (page - 1) * limit, limit },
      LISTED_FIELDS
    ),
    // One count a list (whatever its page or sort), not one a page.
    cachedVideoTotal({ query, userId, ownChannel }, () =>
      countWhere(Video, match)
    ),
  ]);
  return pageOf(await withOwners(videos), totalDocs, { page, limit });
}

/** Watching: counts the view, records history, adds likes. */
export async function watchVideo(
  video: VideoDocument,
  viewerId: string | undefined
): Promise<WatchedVideo> {
  const likeFilter = { targetType: "video", target: video._id } as const;
  // The view and the history entry are written after the answer (batched),
  // so the answer shows the views counted before this one.
  if (viewerId !== undefined) queueWatch(video._id, viewerId);
  const [liked, owner] = await Promise.all([
    viewerId === undefined
      ? Promise.resolve(null)
      : Like.exists({ ...likeFilter, likedBy: viewerId }),
    publicUsersById([video.owner]),
  ]);
  const detail = toVideoDetail(video, owner.get(String(video.owner)));
  return toWatchedVideo(detail, {
    likesCount: video.likesCount,
    isLiked: liked !== null,
  });
}

/** The answer for one of the caller's own videos: its owner is already loaded. */
export const ownVideoDetail = (
  video: VideoDocument,
  owner: UserDocument
): VideoDetail => toVideoDetail(video, toPublicUser(owner));

/**
 * Stores the video and its thumbnail, then creates the record. If the record
 * cannot be created, the stored files are deleted again; the duration is the
 * one measured from the uploaded file.
 */
export async function publishVideo(
  ownerId: string,
  details: { title: string; description: string },
  files: { videoFile: UploadedFile; thumbnail: UploadedFile }
): Promise<VideoDocument> {
  // Chosen here, so a publish cut off mid-write can be looked up later.
  const videoId = new Types.ObjectId();
  const video = await persistWithUploads(
    files,
    async (stored) => {
      const { videoFile, thumbnail } = stored;
      if (!videoFile || !thumbnail) throw new Error("an upload was not stored");
      return Video.create({
        _id: videoId,
        ...details,
        owner: ownerId,
        videoFile: toStoredMedia(videoFile),
        thumbnail: toStoredMedia(thumbnail),
        duration: videoFile.durationSeconds,
      });
    },
    undefined,
    async () => (await Video.exists({ _id: videoId })) !== null
  );
  forgetVideoLists();
  return video;
}

/**
 * Publishes from two finished resumable uploads of the owner's, checked and
 * stored as the form's files are (publishVideo); their bytes go once the
 * video is stored.
 */
export function publishVideoFromUploads(
  ownerId: string,
  details: { title: string; description: string },
  uploadIds: { videoUploadId: string; thumbnailUploadId: string }
): Promise<VideoDocument> {
  return publishFromUploads(
    ownerId,
    {
      videoUploadId: { id: uploadIds.videoUploadId, kind: "video" },
      thumbnailUploadId: { id: uploadIds.thumbnailUploadId, kind: "image" },
    },
    ({ videoUploadId, thumbnailUploadId }) => {
      if (!videoUploadId || !thumbnailUploadId)
        throw new Error("an upload was not handed on");
      return publishVideo(ownerId, details, {
        videoFile: videoUploadId,
        thumbnail: thumbnailUploadId,
      });
    }
  );
}

/**
 * Edits title and description, and replaces the thumbnail when a new one
 * was uploaded: the new file is stored first, the record updated, and only
 * then the old file deleted (on failure the new file goes instead).
 */
export async function updateVideoDetails(
  video: VideoDocument,
  changes: { title?: string; description?: string },
  thumbnail: UploadedFile | undefined
): Promise<VideoDocument> {
  if (
    changes.title === undefined &&
    changes.description === undefined &&
    !thumbnail
  ) {
    throw new ApiError(400, "Nothing to change", [
      { path: "title", message: "Send a title, a description or a thumbnail" },
    ]);
  }
  let replaced: StoredMedia | undefined;
  await persistWithUploads(
    { thumbnail },
    async (stored) => {
      // The thumbnail as it is now, not the loader's copy: a concurrent edit
      // may have replaced it since, and that is the file to delete.
      await changeDocument(
        Video,
        video._id,
        ["thumbnail", ...Object.keys(VISIBILITY_FIELDS)],
        (current) => {
          if (!current || isBeingDeleted(current)) {
            throw new ApiError(404, "Video not found");
          }
          replaced = stored.thumbnail ? current.thumbnail : undefined;
          return {
            update: {
              $set: {
                ...(changes.title !== undefined
                  ? { title: changes.title }
                  : {}),
                ...(changes.description !== undefined
                  ? { description: changes.description }
                  : {}),
                ...(stored.thumbnail
                  ? { thumbnail: toStoredMedia(stored.thumbnail) }
                  : {}),
              },
            },
            result: undefined,
          };
        }
      );
    },
    () => [replaced],
    async (file) =>
      (await Video.exists({
        _id: video._id,
        "thumbnail.publicId": file.publicId,
      })) !== null
  );
  forgetVideoLists();
  // Read after the files are settled: a read that fails here must not make
  // a stored write look like a failed one.
  const updated = await Video.findById(video._id);
  if (!updated) throw new ApiError(404, "Video not found");
  return updated;
}

export async function togglePublish(
  video: VideoDocument
): Promise<{ isPublished: boolean }> {
  // The current state, not the loader's copy: two toggles in a row flip twice.
  const isPublished = await changeDocument(
    Video,
    video._id,
    Object.keys(VISIBILITY_FIELDS),
    (current) => {
      if (!current || isBeingDeleted(current))
        throw new ApiError(404, "Video not found");
      const flipped = !current.isPublished;
      return { update: { $set: { isPublished: flipped } }, result: flipped };
    }
  );
  forgetVideoLists();
  return { isPublished };
}

/**
 * Deletes a video and everything that points at it. The video is hidden
 * first, then its dependants go (children before parents: comment likes
 * before comments), then the video itself: an interruption at any step
 * leaves an invisible video that its owner can delete again, never a
 * visible one with part of its records gone. The stored files go last, once
 * no record points at them.
 */
export async function deleteVideoCascade(video: VideoDocument): Promise<void> {
  const videoId = video._id;
  await updateDocument(Video, videoId, startDeleting());
  forgetVideoLists();
  // No view or history entry of this instance may land after the cascade.
  await flushWatches();
  await removeVideoComments(String(videoId));
  await Like.deleteMany({ targetType: "video", target: videoId });
  await removeVideoFromAllPlaylists(videoId);
  await forgetVideoInHistories(String(videoId));
  await View.deleteMany({ video: videoId });
  await Video.deleteOne({ _id: videoId });
  await discardStored(video.videoFile, video.thumbnail);
}
