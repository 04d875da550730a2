import { z } from "zod";
import {
  count,
  dateTime,
  idParams,
  paginated,
  paginationQuery,
  publicUserSchema,
  recordId,
  trimmedText,
} from "./common.schema.js";
import { apiArea } from "./openapi.js";

const endpoint = apiArea("/comments", "Comments");

export const COMMENT_MAX_LENGTH = 1000;

const content = trimmedText({ max: COMMENT_MAX_LENGTH }).openapi({
  example: "The part on closures finally made it click, thanks!",
});

export const commentSchema = z
  .object({
    _id: recordId("comment"),
    content: z.string().openapi({
      example: "The part on closures finally made it click, thanks!",
    }),
    video: recordId("video"),
    owner: publicUserSchema,
    likesCount: count(5),
    isLiked: z.boolean().openapi({
      description: "Whether the viewer likes this comment (false anonymously)",
      example: false,
    }),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .openapi("Comment");

export const listVideoComments = endpoint({
  method: "get",
  path: "/:videoId",
  summary: "The comments of a video, newest first",
  description:
    "An unpublished video is 404 to everyone but its owner. Counts and isLiked cost one query per page, not per comment.",
  auth: "optional",
  request: { params: idParams("videoId"), query: paginationQuery },
  success: {
    status: 200,
    description: "A page of comments",
    data: paginated(commentSchema),
  },
  errors: [404],
});

export const addComment = endpoint({
  method: "post",
  path: "/:videoId",
  summary: "Comment on a video",
  auth: "required",
  request: { params: idParams("videoId"), body: z.object({ content }) },
  success: { status: 201, description: "The new comment", data: commentSchema },
  errors: [404],
});

export const updateComment = endpoint({
  method: "patch",
  path: "/c/:commentId",
  summary: "Edit one of your comments",
  auth: "required",
  request: { params: idParams("commentId"), body: z.object({ content }) },
  success: {
    status: 200,
    description: "The edited comment",
    data: commentSchema,
  },
  errors: [403, 404],
});

export const deleteComment = endpoint({
  method: "delete",
  path: "/c/:commentId",
  summary: "Delete a comment (its author or the video's owner)",
  description: "The comment's likes are deleted first, then the comment.",
  auth: "required",
  request: { params: idParams("commentId") },
  success: {
    status: 200,
    description: "The comment and its likes are gone",
    data: z
      .object({ commentId: recordId("comment") })
      .openapi("DeletedComment"),
  },
  errors: [403, 404],
});
