import { Comment } from "../../src/models/comment.model.js";
import { Like, type LikeTarget } from "../../src/models/like.model.js";
import { Playlist } from "../../src/models/playlist.model.js";

/** A comment straight in the database. */
export function createComment(
  owner: { id: string },
  video: { id: string },
  content = "A comment"
) {
  return Comment.create({ content, video: video.id, owner: owner.id });
}

/** A like straight in the database. */
export function createLike(
  user: { id: string },
  targetType: LikeTarget,
  target: { id: string }
) {
  return Like.create({ targetType, target: target.id, likedBy: user.id });
}

/** A playlist straight in the database. */
export function createPlaylist(
  owner: { id: string },
  videos: { id: string }[],
  name = "A playlist"
) {
  return Playlist.create({
    name,
    owner: owner.id,
    videos: videos.map((video) => video.id),
  });
}
