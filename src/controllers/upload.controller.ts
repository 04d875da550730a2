import { mkdirSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { FileStore } from "@tus/file-store";
import { Server } from "@tus/server";
import type { RequestHandler } from "express";
import { config } from "../config.js";
import { RESUMABLE_UPLOADS_PATH } from "../constants.js";
import { requireViewer } from "../middlewares/auth.middleware.js";
import {
  checkFinishedUpload,
  newUploadId,
  registerUpload,
  requireOwnUpload,
  UploadRefusal,
} from "../services/resumableUpload.service.js";
import { logger } from "../utils/logger.js";
import { isDatabaseUnavailable } from "../utils/mongoErrors.js";

const { uploads } = config;

/** The signed-in owner of each request tus is handling. */
const ownerByRequest = new WeakMap<IncomingMessage, string>();

/** The request as tus hands it to its hooks: a web Request over Node's. */
interface TusRequest {
  method: string;
  runtime?: { node?: { req: unknown } };
}

function ownerOf(req: TusRequest): string {
  const owner = ownerByRequest.get(req.runtime?.node?.req as IncomingMessage);
  // authenticate runs before tus: a request without an owner never gets here.
  if (owner === undefined) throw new UploadRefusal(401, "Sign in first");
  return owner;
}

/**
 * tus's own refusals carry their status; anything else (the database away,
 * a full disk, a bug) would be a 500 with the error's message as its body:
 * mapped here, the message only in the log.
 */
function answerForError(error: unknown) {
  if (typeof (error as { status_code?: unknown }).status_code === "number")
    return undefined;
  if (isDatabaseUnavailable(error))
    return { status_code: 503, body: "Database unavailable, try again\n" };
  const code = (error as { code?: unknown }).code;
  if (code === "ENOSPC" || code === "EDQUOT")
    return { status_code: 507, body: "No space left for uploads\n" };
  logger.error({ err: error }, "a resumable upload request failed");
  return { status_code: 500, body: "Something went wrong\n" };
}

function createTusServer(): Server {
  // FileStore makes its folder without waiting, and throws outside any
  // request if that fails: made here first, a failure is this request's.
  mkdirSync(uploads.resumable.dir, { recursive: true });
  return new Server({
    path: RESUMABLE_UPLOADS_PATH,
    datastore: new FileStore({
      directory: uploads.resumable.dir,
      // tus answers 410 for an upload past this, even before the sweep.
      expirationPeriodInMilliseconds: uploads.resumable.expiryMs,
    }),
    // The largest of the kinds; each upload's own kind is checked at creation.
    maxSize: Math.max(uploads.maxImageBytes, uploads.maxVideoBytes),
    namingFunction: newUploadId,
    // Relative without PUBLIC_URL: the Host header is the client's to choose.
    generateUrl: (_req, { path, id }) => `${uploads.publicUrl}${path}/${id}`,
    // The app's CORS allow-list and cookies; tus writes its own CORS headers.
    allowedOrigins: (origin) => config.cors.origins.includes(origin),
    allowedCredentials: true,
    exposedHeaders: ["Upload-Expires", "X-Request-Id"],
    onIncomingRequest: async (req, id) => {
      // A creation's id is new; every other request names an existing upload.
      if (req.method === "POST") return;
      await requireOwnUpload(ownerOf(req), id, req.method);
    },
    onUploadCreate: async (req, upload) => {
      await registerUpload(ownerOf(req), upload);
      return {};
    },
    onUploadFinish: async (_req, upload) => {
      await checkFinishedUpload(upload.id);
      return {};
    },
    onResponseError: (_req, error) => answerForError(error),
  });
}

let tusServer: Server | undefined;

/**
 * The tus 1.0 endpoint (creation, HEAD for the offset, PATCH, DELETE), for
 * the signed-in caller's own uploads. Made on first use, so its folder
 * exists only where resumable uploads are used.
 */
export const resumableUploadController: RequestHandler = (req, res, next) => {
  const { user } = requireViewer(res);
  ownerByRequest.set(req, String(user._id));
  tusServer ??= createTusServer();
  // Express took the mount path off req.url; tus reads the whole path.
  const mountedUrl = req.url;
  req.url = req.originalUrl;
  tusServer.handle(req, res).catch((error: unknown) => {
    req.url = mountedUrl;
    next(error);
  });
};
