import { z } from "zod";
import {
  count,
  dateTime,
  emptyData,
  idParams,
  paginated,
  paginationQuery,
  publicUserSchema,
  recordId,
  trimmedText,
} from "./common.schema.js";
import { apiArea } from "./openapi.js";
import { playlistVideoSchema } from "./videoSummary.schema.js";

const endpoint = apiArea("/playlist", "Playlists");

const EXAMPLE_NAME = "JavaScript from scratch";
const EXAMPLE_DESCRIPTION = "The basics first, then the browser and Node.";

const name = trimmedText({ max: 100 }).openapi({ example: EXAMPLE_NAME });
const description = trimmedText({ max: 1000, min: 0 }).openapi({
  example: EXAMPLE_DESCRIPTION,
});

const playlistFields = {
  _id: recordId("playlist"),
  name: z.string().openapi({ example: EXAMPLE_NAME }),
  description: z.string().openapi({ example: EXAMPLE_DESCRIPTION }),
  owner: publicUserSchema,
  createdAt: dateTime,
  updatedAt: dateTime,
};

/** A playlist as writes answer it: the ids of its videos, in playlist order. */
export const playlistSchema = z
  .object({
    ...playlistFields,
    videos: z
      .array(recordId("video"))
      .openapi({ description: "Ids of the videos, in playlist order" }),
  })
  .openapi("Playlist");

export const playlistDetailSchema = z
  .object({
    ...playlistFields,
    videos: z.array(playlistVideoSchema).openapi({
      description:
        "The videos the viewer may see, in playlist order; deleted ones are skipped",
    }),
  })
  .openapi("PlaylistDetail");

export const playlistSummarySchema = z
  .object({
    ...playlistFields,
    videosCount: count(8, "How many of its videos the viewer may see"),
  })
  .openapi("PlaylistSummary");

const playlistParams = idParams("playlistId");
const entryParams = idParams("videoId", "playlistId");

export const createPlaylist = endpoint({
  method: "post",
  path: "/",
  summary: "Create a playlist",
  auth: "required",
  request: {
    body: z.object({ name, description: description.default("") }),
  },
  success: { status: 201, description: "Created", data: playlistSchema },
});

export const userPlaylists = endpoint({
  method: "get",
  path: "/user/:userId",
  summary: "A user's playlists, newest first",
  auth: "optional",
  request: { params: idParams("userId"), query: paginationQuery },
  success: {
    status: 200,
    description: "A page of playlists",
    data: paginated(playlistSummarySchema),
  },
  errors: [404],
});

export const getPlaylist = endpoint({
  method: "get",
  path: "/:playlistId",
  summary: "A playlist with its videos",
  description:
    "Unpublished videos appear only to the playlist owner (and only their own).",
  auth: "optional",
  request: { params: playlistParams },
  success: {
    status: 200,
    description: "The playlist",
    data: playlistDetailSchema,
  },
  errors: [404],
});

export const updatePlaylist = endpoint({
  method: "patch",
  path: "/:playlistId",
  summary: "Rename a playlist or change its description",
  auth: "required",
  request: {
    params: playlistParams,
    body: z
      .object({ name: name.optional(), description: description.optional() })
      .refine(
        (body) => body.name !== undefined || body.description !== undefined,
        { message: "Send a name or a description" }
      )
      // What the refine means, for clients and fuzzers that read the document.
      .openapi({ minProperties: 1 }),
  },
  success: { status: 200, description: "Updated", data: playlistSchema },
  errors: [403, 404],
});

export const deletePlaylist = endpoint({
  method: "delete",
  path: "/:playlistId",
  summary: "Delete a playlist (its videos stay)",
  auth: "required",
  request: { params: playlistParams },
  success: { status: 200, description: "Deleted", data: emptyData },
  errors: [403, 404],
});

export const addVideoToPlaylist = endpoint({
  method: "patch",
  path: "/add/:videoId/:playlistId",
  summary: "Add a video to a playlist (adding twice keeps one entry)",
  auth: "required",
  request: { params: entryParams },
  success: { status: 200, description: "Added", data: playlistSchema },
  errors: [403, 404],
});

export const removeVideoFromPlaylist = endpoint({
  method: "patch",
  path: "/remove/:videoId/:playlistId",
  summary: "Remove a video from a playlist",
  auth: "required",
  request: { params: entryParams },
  success: { status: 200, description: "Removed", data: playlistSchema },
  errors: [403, 404],
});
