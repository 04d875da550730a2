import { z } from "zod";
import { videoFields } from "./videoSummary.schema.js";
import {
  count,
  dateTime,
  idParams,
  paginated,
  paginationQuery,
  publicUserSchema,
} from "./common.schema.js";
import { apiArea } from "./openapi.js";

const endpoint = apiArea("/likes", "Likes");

export const likeStateSchema = z
  .object({
    liked: z.boolean().openapi({ example: true }),
    likesCount: count(43),
  })
  .openapi("LikeState");

export const likedVideoSchema = z
  .object({
    ...videoFields,
    owner: publicUserSchema,
    likedAt: dateTime,
  })
  .openapi("LikedVideo");

/** The three toggles differ only in what they like. */
const toggle = <K extends string>(param: K, letter: string, what: string) =>
  endpoint({
    method: "post",
    path: `/toggle/${letter}/:${param}`,
    summary: `Like a ${what}, or take the like back when already liked`,
    description: `Race-safe: one like per (${what}, user) pair; likesCount is counted from the like records after the toggle.`,
    auth: "required",
    request: { params: idParams(param) },
    success: {
      status: 200,
      description: "The like state after the toggle and the number of likes",
      data: likeStateSchema,
    },
    errors: [404],
  });

export const toggleVideoLike = toggle("videoId", "v", "video");
export const toggleCommentLike = toggle("commentId", "c", "comment");
export const toggleTweetLike = toggle("tweetId", "t", "tweet");

export const listLikedVideos = endpoint({
  method: "get",
  path: "/videos",
  summary: "The videos the caller liked, most recently liked first",
  description:
    "Unpublished videos of other users are left out; each video comes with its owner.",
  auth: "required",
  request: { query: paginationQuery },
  success: {
    status: 200,
    description: "A page of liked videos",
    data: paginated(likedVideoSchema),
  },
});
