import { Types } from "mongoose";
import { Like, type LikeTarget } from "../models/like.model.js";
import { Video } from "../models/video.model.js";
import {
  toLikedVideo,
  type LikedVideo,
} from "../presenters/video.presenter.js";
import type { Pagination } from "../schemas/common.schema.js";
import { mapPage, paginate, type Page } from "../utils/paginate.js";
import { countByField, presentIds } from "./counts.service.js";
import { publicUsersById } from "./publicUsers.service.js";
import { toggleRecord } from "./toggle.service.js";
import { changeCounted } from "./videoCounters.service.js";
import { isVisibleTo, VISIBILITY_FIELDS } from "./videoVisibility.service.js";
import { deleteWhereIn, findByIds } from "../db/engine/index.js";

type Id = Types.ObjectId | string;

const oid = (id: Id) => new Types.ObjectId(String(id));

/**
 * Likes a target, or takes the like back. A video keeps its count as its
 * likesCount, moved with the toggle (see changeCounted); other targets'
 * likes are counted.
 */
export async function toggleLike(
  targetType: LikeTarget,
  targetId: string,
  userId: string
): Promise<{ liked: boolean; likesCount: number }> {
  const target = oid(targetId);
  const toggle = () =>
    toggleRecord(Like, { targetType, target, likedBy: oid(userId) });
  if (targetType === "video") {
    const { result, count } = await changeCounted(
      target,
      "likesCount",
      async () => {
        const { exists, changed } = await toggle();
        return { result: exists, delta: changed ? (exists ? 1 : -1) : 0 };
      }
    );
    return { liked: result, likesCount: count };
  }
  const { exists } = await toggle();
  return {
    liked: exists,
    likesCount: await Like.countDocuments({ targetType, target }),
  };
}

/** Likes per target and which the viewer likes: two queries for a page. */
export async function likesOf(
  targetType: LikeTarget,
  ids: Id[],
  viewerId: string | undefined
): Promise<{ counts: Map<string, number>; liked: Set<string> }> {
  const [counts, liked] = await Promise.all([
    countByField(Like, "target", ids, { targetType }),
    viewerId === undefined
      ? Promise.resolve(new Set<string>())
      : presentIds(Like, "target", ids, {
          targetType,
          likedBy: oid(viewerId),
        }),
  ]);
  return { counts, liked };
}

/** Removes every like of the given targets (before the targets themselves go). */
export async function deleteLikesOf(
  targetType: LikeTarget,
  ids: Id[]
): Promise<void> {
  await deleteWhereIn(Like, "target", ids.map(oid), { targetType });
}

/**
 * A page of the videos a user liked, most recently liked first. Videos the
 * user may not see (others' unpublished ones, or gone) are filtered in the
 * query, not after it, so pages keep their size and totals stay true.
 * Without $lookup that takes the liked ids first, then which of them the
 * user may see, each read by id.
 */
export async function likedVideos(
  userId: string,
  pagination: Pagination
): Promise<Page<LikedVideo>> {
  const likedBy = oid(userId);
  const likedIds = await Like.distinct("target", {
    likedBy,
    targetType: "video",
  });
  const visibleIds = (await findByIds(Video, likedIds, VISIBILITY_FIELDS))
    .filter((video) => isVisibleTo(video, likedBy))
    .map((video) => video._id);
  const page = await paginate(
    Like,
    { likedBy, targetType: "video", target: { $in: visibleIds } },
    { createdAt: -1 },
    pagination
  );
  const videos = await findByIds(
    Video,
    page.docs.map((row) => row.target),
    {}
  );
  const owners = await publicUsersById(videos.map((video) => video.owner));
  const videosById = new Map(videos.map((video) => [String(video._id), video]));
  return mapPage(page, (rows) =>
    rows.flatMap((row) => {
      const video = videosById.get(String(row.target));
      const owner = video && owners.get(String(video.owner));
      if (!video || !owner) return [];
      return [toLikedVideo(video, owner, row.createdAt)];
    })
  );
}
