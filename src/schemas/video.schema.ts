import { z } from "zod";
import { videoFields } from "./videoSummary.schema.js";
import { publicUserSchema } from "./common.schema.js";
import {
  count,
  dateTime,
  emptyData,
  idParams,
  objectId,
  paginated,
  paginationQuery,
  trimmedText,
} from "./common.schema.js";
import { apiArea } from "./openapi.js";

const endpoint = apiArea("/videos", "Videos");

export const VIDEO_SORT_FIELDS = [
  "createdAt",
  "views",
  "duration",
  "title",
] as const;
export type VideoSortField = (typeof VIDEO_SORT_FIELDS)[number];

/** Longest search text: longer input is a 400, not a slow regex. */
export const MAX_SEARCH_LENGTH = 100;
export const MAX_TITLE_LENGTH = 100;
export const MAX_DESCRIPTION_LENGTH = 5000;

export const videoSchema = z
  .object({
    ...videoFields,
    owner: z.union([publicUserSchema, z.string()]).openapi({
      description: "The owner, or the owner's id where it is not populated",
    }),
    updatedAt: dateTime,
  })
  .openapi("Video");

export const watchedVideoSchema = videoSchema
  .extend({
    likesCount: count(42),
    isLiked: z
      .boolean()
      .openapi({ description: "False for an anonymous viewer", example: true }),
  })
  .openapi("WatchedVideo");

const title = trimmedText({ max: MAX_TITLE_LENGTH }).openapi({
  example: "JavaScript in one video",
});
const description = trimmedText({ max: MAX_DESCRIPTION_LENGTH }).openapi({
  example: "Variables, functions, closures and the event loop, with code.",
});

const videoIdParams = idParams("videoId");

export const listVideos = endpoint({
  method: "get",
  path: "/",
  summary: "List published videos",
  description:
    "Published videos, newest first unless sorted otherwise; `_id` is always the last sort key, so pages never repeat or skip a video. `query` is plain text searched case-insensitively in title and description. With `userId` equal to the caller's own id, the caller's unpublished videos are listed too.",
  auth: "optional",
  request: {
    query: paginationQuery.extend({
      query: trimmedText({ max: MAX_SEARCH_LENGTH, min: 0 })
        .optional()
        .openapi({
          description: "Plain text, not a pattern",
          example: "javascript",
        }),
      sortBy: z.enum(VIDEO_SORT_FIELDS).default("createdAt"),
      sortType: z.enum(["asc", "desc"]).default("desc"),
      userId: objectId("userId").optional(),
    }),
  },
  success: {
    status: 200,
    description: "A page of videos, each with its owner",
    data: paginated(videoSchema),
  },
});

const uploadId = (field: string, kind: string) =>
  objectId(field).openapi({
    description: `A finished resumable upload of yours, of a ${kind}: the last segment of its URL at /api/v1/uploads`,
  });

/**
 * The JSON publish: finished resumable uploads (tus, /api/v1/uploads) in
 * place of the form's files. Documented as the other body of publishVideo.
 */
export const publishVideoFromUploads = {
  body: z.object({
    title,
    description,
    videoUploadId: uploadId("videoUploadId", "video"),
    thumbnailUploadId: uploadId("thumbnailUploadId", "image"),
  }),
};

export const publishVideo = endpoint({
  method: "post",
  path: "/",
  summary: "Publish a video",
  description:
    "Either a multipart form with the files, or JSON naming two finished resumable uploads of the caller's (see the README: tus at /api/v1/uploads). The duration is measured from the file, and an upload's content is checked as a form's file is. Text fields sent before the files (`title`, `description`) are checked when the first file starts: a bad one is refused (400) before any file byte is stored or inspected. If anything fails after the files are stored, they are deleted again. An upload id that is not the caller's is 404, one of the wrong kind 415, one not finished or already used 409; a published upload's bytes are deleted.",
  auth: "required",
  request: { body: z.object({ title, description }) },
  bodyType: "multipart",
  files: {
    videoFile: { required: true, description: "The video (mp4, webm, ...)" },
    thumbnail: { required: true, description: "An image (png, jpeg, webp)" },
  },
  jsonAlternative: {
    schema: publishVideoFromUploads.body,
    example: {
      title: "JavaScript in one video",
      description: "Variables, functions, closures and the event loop.",
      videoUploadId: "665f1c2b9d3e4a0012a1b2c3",
      thumbnailUploadId: "665f1c2b9d3e4a0012a1b2c4",
    },
  },
  errors: [404, 409],
  success: { status: 201, description: "The new video", data: videoSchema },
});

export const watchVideo = endpoint({
  method: "get",
  path: "/:videoId",
  summary: "Watch a video",
  description:
    "A signed-in viewer's view counts once, and the video moves to the top of their watch history. Both are written just after the answer (in batches, within WATCH_FLUSH_INTERVAL_MS), so `views` is the count before this watch; the viewer's own history shows it at once. An unpublished video is 404 to everyone but its owner.",
  auth: "optional",
  request: { params: videoIdParams },
  errors: [404],
  success: {
    status: 200,
    description: "The video with its owner, likesCount and isLiked",
    data: watchedVideoSchema,
  },
});

export const updateVideo = endpoint({
  method: "patch",
  path: "/:videoId",
  summary: "Edit a video's title, description or thumbnail",
  description:
    "JSON, or multipart with an optional new thumbnail; at least one change is required. A replaced thumbnail is deleted from storage.",
  auth: "required",
  request: {
    params: videoIdParams,
    body: z.object({
      title: title.optional(),
      description: description.optional(),
    }),
  },
  files: {
    thumbnail: { required: false, description: "A new thumbnail image" },
  },
  errors: [403, 404],
  success: { status: 200, description: "The edited video", data: videoSchema },
});

export const deleteVideo = endpoint({
  method: "delete",
  path: "/:videoId",
  summary: "Delete a video",
  description:
    "Its likes, comments (and their likes), playlist entries, watch-history entries, view records and stored files go too.",
  auth: "required",
  request: { params: videoIdParams },
  errors: [403, 404],
  success: { status: 200, description: "Deleted", data: emptyData },
});

export const togglePublish = endpoint({
  method: "patch",
  path: "/toggle/publish/:videoId",
  summary: "Publish or unpublish a video",
  auth: "required",
  request: { params: videoIdParams },
  errors: [403, 404],
  success: {
    status: 200,
    description: "The new state",
    data: z
      .object({ isPublished: z.boolean().openapi({ example: false }) })
      .openapi("PublishState"),
  },
});

/** The params alone, for the loader that runs before a multipart body is read. */
export const videoIdOnly = { params: videoIdParams };

export type ListVideosQuery = z.output<NonNullable<typeof listVideos.query>>;
