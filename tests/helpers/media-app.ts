import express, { Router } from "express";
import mongoose, { Schema } from "mongoose";
import { z } from "zod";
import { app } from "../../src/app.js";
import { errorHandler } from "../../src/middlewares/error.middleware.js";
import {
  requiredFile,
  upload,
  uploadedFile,
} from "../../src/middlewares/multer.middleware.js";
import {
  inputOf,
  validate,
} from "../../src/middlewares/validate.middleware.js";
import {
  storedMediaSchema,
  type StoredMedia,
} from "../../src/models/media.schema.js";
import {
  persistWithUploads,
  toStoredMedia,
} from "../../src/services/media.service.js";
import { asyncHandler } from "../../src/utils/asyncHandler.js";

interface Clip {
  title: string;
  video: StoredMedia;
  thumbnail?: StoredMedia;
  duration: number;
}

/** A throwaway model: the title limit is stricter than the zod schema on purpose. */
export const ClipModel =
  (mongoose.models.MediaTestClip as mongoose.Model<Clip> | undefined) ??
  mongoose.model<Clip>(
    "MediaTestClip",
    new Schema<Clip>({
      title: { type: String, required: true, maxlength: 20 },
      video: { type: storedMediaSchema, required: true },
      thumbnail: storedMediaSchema,
      duration: { type: Number, required: true },
    })
  );

const createClip = {
  body: z.object({ title: z.string().trim().min(1).max(100) }),
};
const clipId = { params: z.object({ id: z.string().regex(/^[a-f0-9]{24}$/) }) };

const clipJson = (clip: Clip & { _id: unknown }) => ({
  id: String(clip._id),
  title: clip.title,
  video: clip.video.url,
  thumbnail: clip.thumbnail?.url,
  duration: clip.duration,
});

/** A router built the way feature routers will be: the real middlewares and storage. */
function mediaRouter(): Router {
  const router = Router();
  router.post(
    "/clips",
    upload.fields({ videoFile: "video", thumbnail: "image" }),
    validate(createClip),
    asyncHandler(async (req, res) => {
      const { title } = inputOf(res, createClip).body;
      const video = requiredFile(req, "videoFile");
      const clip = await persistWithUploads(
        { videoFile: video, thumbnail: uploadedFile(req, "thumbnail") },
        (stored) =>
          ClipModel.create({
            title,
            video: toStoredMedia(stored.videoFile),
            thumbnail: stored.thumbnail && toStoredMedia(stored.thumbnail),
            duration: stored.videoFile.durationSeconds,
          })
      );
      res.status(201).json(clipJson(clip));
    })
  );
  router.patch(
    "/clips/:id/thumbnail",
    validate(clipId),
    upload.image("thumbnail"),
    asyncHandler(async (req, res) => {
      const { id } = inputOf(res, clipId).params;
      const clip = await ClipModel.findById(id).orFail();
      const previous = clip.thumbnail;
      const updated = await persistWithUploads(
        { thumbnail: requiredFile(req, "thumbnail") },
        async (stored) => {
          clip.thumbnail = toStoredMedia(stored.thumbnail);
          return clip.save();
        },
        () => [previous]
      );
      res.json(clipJson(updated));
    })
  );
  router.post(
    "/explode",
    upload.image("avatar"),
    asyncHandler(async () => {
      throw new Error("a bug after the upload");
    })
  );
  return router;
}

/** The real app with the media test router in front of it. */
export function mediaTestApp(): express.Express {
  const testApp = express();
  testApp.use("/media-test", mediaRouter());
  testApp.use(app);
  testApp.use(errorHandler);
  return testApp;
}
