import type { RequestHandler } from "express";
import { resumableUploadController } from "../controllers/upload.controller.js";
import { authenticate } from "../middlewares/auth.middleware.js";
import {
  uploadLimit,
  writeLimit,
} from "../middlewares/rateLimit.middleware.js";

/** Creating an upload counts as an upload; the requests that fill it as writes. */
const resumableUploadLimit: RequestHandler = (req, res, next) => {
  (req.method === "POST" ? uploadLimit : writeLimit)(req, res, next);
};

/**
 * tus 1.0 at /api/v1/uploads (app.ts mounts it): POST creates an upload,
 * HEAD answers its offset, PATCH appends at that offset, DELETE ends it.
 * A chain of middleware rather than a router: tus routes its own methods
 * and answers in its own protocol (plain-text errors, Tus-Resumable), so
 * these are not operations of the OpenAPI document; the README shows them.
 */
export const resumableUploads: RequestHandler[] = [
  authenticate,
  resumableUploadLimit,
  resumableUploadController,
];
