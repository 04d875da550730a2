import { z } from "zod";
import { publicUserSchema } from "./common.schema.js";
import "./openapi.js";

/** The fields of a video every answer that shows one has. */
export const videoFields = {
  _id: z.string(),
  videoFile: z.string().openapi({ description: "URL of the video file" }),
  thumbnail: z.string().openapi({ description: "URL of the thumbnail" }),
  title: z.string(),
  description: z.string(),
  duration: z.number().openapi({ description: "Seconds" }),
  views: z.number().int(),
  isPublished: z.boolean(),
  createdAt: z.string().openapi({ format: "date-time" }),
};

/** A video inside a playlist: with its owner as others see them. */
export const playlistVideoSchema = z
  .object({ ...videoFields, owner: publicUserSchema })
  .openapi("PlaylistVideo");

/** One of the caller's own videos on the dashboard, with its counts. */
export const dashboardVideoSchema = z
  .object({
    ...videoFields,
    owner: z.string().openapi({ description: "Id of the owner (the caller)" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
    likesCount: z.number().int(),
    commentsCount: z.number().int(),
  })
  .openapi("DashboardVideo");
