import { Types } from "mongoose";
import type { VideoFields } from "../models/video.model.js";

/**
 * The one place that says who may see a video: it is published, or the
 * viewer owns it; and nobody sees a video whose delete has started (nothing
 * new may point at it). Hidden videos are answered as missing, never 403.
 * Every read of a video goes through one of the functions below.
 */

type Id = Types.ObjectId | string;
type VisibilityFields = Pick<
  VideoFields,
  "isPublished" | "owner" | "deletingAt"
>;

/** The fields isVisibleTo needs, as a projection. */
export const VISIBILITY_FIELDS = {
  isPublished: 1,
  owner: 1,
  deletingAt: 1,
} as const;

const notBeingDeleted = { deletingAt: { $exists: false } };

/** The update that starts a delete: from then on the video is hidden from everyone. */
export const startDeleting = () => ({
  $set: { isPublished: false, deletingAt: new Date() },
});

/** True once a delete of the video has started. */
export const isBeingDeleted = (video: Pick<VideoFields, "deletingAt">) =>
  // Any stored value counts, as for the `$exists: false` of the filter below.
  video.deletingAt !== undefined;

/** The predicate, for a loaded video and the viewer (undefined: anonymous). */
export function isVisibleTo(
  video: VisibilityFields,
  viewerId: Id | undefined
): boolean {
  if (isBeingDeleted(video)) return false;
  return (
    video.isPublished ||
    (viewerId !== undefined && String(video.owner) === String(viewerId))
  );
}

/**
 * The same rule as a query filter: the videos the viewer may see, or, with
 * `ownerId`, the ones of that owner (all of them when the viewer is the
 * owner, which keeps the query on the owner index without an `$or`).
 */
export function visibleVideosFilter(
  viewerId: Id | undefined,
  ownerId?: Id
): Record<string, unknown> {
  if (ownerId !== undefined) {
    const owner = new Types.ObjectId(String(ownerId));
    return String(ownerId) === String(viewerId)
      ? { owner, ...notBeingDeleted }
      : { owner, isPublished: true, ...notBeingDeleted };
  }
  if (viewerId === undefined) return { isPublished: true, ...notBeingDeleted };
  return {
    ...notBeingDeleted,
    $or: [
      { isPublished: true },
      { owner: new Types.ObjectId(String(viewerId)) },
    ],
  };
}
