import { z } from "zod";
import {
  count,
  dateTime,
  mediaUrl,
  publicUserSchema,
  recordId,
} from "./common.schema.js";
import "./openapi.js";

/** The fields of a video every answer that shows one has. */
export const videoFields = {
  _id: recordId("video"),
  videoFile: mediaUrl(
    "video",
    "4b7e1d9c2a3f4e5d8c6b0a1f2e3d4c5b.mp4",
    "URL of the video file"
  ),
  thumbnail: mediaUrl(
    "image",
    "9f2c4e1ab37d4c0e8a51d2b6c7e8f901.png",
    "URL of the thumbnail"
  ),
  title: z.string().openapi({ example: "JavaScript in one video" }),
  description: z.string().openapi({
    example: "Variables, functions, closures and the event loop, with code.",
  }),
  duration: z.number().openapi({ description: "Seconds", example: 642.5 }),
  views: count(1280),
  isPublished: z.boolean().openapi({ example: true }),
  createdAt: dateTime,
};

/** A video inside a playlist: with its owner as others see them. */
export const playlistVideoSchema = z
  .object({ ...videoFields, owner: publicUserSchema })
  .openapi("PlaylistVideo");

/** One of the caller's own videos on the dashboard, with its counts. */
export const dashboardVideoSchema = z
  .object({
    ...videoFields,
    owner: recordId("user").openapi({
      description: "Id of the owner (the caller)",
    }),
    updatedAt: dateTime,
    likesCount: count(42),
    commentsCount: count(7),
  })
  .openapi("DashboardVideo");
