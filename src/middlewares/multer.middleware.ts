import { mkdirSync } from "node:fs";
import type { Request, RequestHandler } from "express";
import multer from "multer";
import { z } from "zod";
import { config } from "../config.js";
import { fieldsOf, type BodySchema } from "../schemas/openapi.js";
import type { UploadedFile } from "../types/upload.js";
import { ApiError } from "../utils/ApiError.js";
import { measureDuration } from "../utils/media/duration.js";
import {
  tempFileEngine,
  type TempFileInfo,
} from "../utils/media/temp-file.engine.js";
import { removeFiles } from "../utils/media/temp-files.js";
import type { MediaKind } from "../utils/storage/types.js";

const MAX_BYTES: Record<MediaKind, () => number> = {
  image: () => config.uploads.maxImageBytes,
  video: () => config.uploads.maxVideoBytes,
};

// The text fields of the forms this API takes are a handful of short
// strings (title, description, ...); anything beyond is refused early.
const TEXT_FIELDS = 20;
const TEXT_FIELD_BYTES = 16 * 1024;

const tempPathsByRequest = new WeakMap<Request, Set<string>>();
const uploadsByRequest = new WeakMap<Request, Map<string, UploadedFile>>();

function limitsFor(spec: Record<string, MediaKind>): multer.Options["limits"] {
  const kinds = Object.values(spec);
  // At least one, so a file in a text-only form is "unexpected" (400), not "too many" (413).
  const files = Math.max(1, kinds.length);
  // multer sets none of these by default, and the nesting/array ones are
  // what keeps `items[4294967294]=a&items[x]=b` from stalling the event loop.
  return {
    fileSize: Math.max(0, ...kinds.map((kind) => MAX_BYTES[kind]())),
    files,
    fields: TEXT_FIELDS,
    fieldSize: TEXT_FIELD_BYTES,
    fieldNameSize: 100,
    parts: files + TEXT_FIELDS,
    headerPairs: 20,
    fieldNestingDepth: 2,
    fieldArrayIndexLimit: 20,
  } as multer.Options["limits"];
}

/** Errors that are the client's form, not the server: a 400 in the error table. */
function asClientError(error: unknown): unknown {
  if (
    error instanceof multer.MulterError ||
    error instanceof ApiError ||
    error instanceof z.ZodError
  ) {
    return error;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOSPC" || code === "EDQUOT") {
    return new ApiError(507, "No space left for uploads, try again later");
  }
  if (typeof code === "string") return error;
  // busboy's parse errors (bad boundary, truncated part) and aborts.
  return new ApiError(400, "Malformed multipart form", [], { cause: error });
}

const engineInfo = (file: Express.Multer.File) =>
  file as Express.Multer.File & Partial<TempFileInfo>;

async function describeUploads(req: Request): Promise<void> {
  const files: Express.Multer.File[] = [];
  if (req.file) files.push(req.file);
  if (req.files && !Array.isArray(req.files)) {
    for (const list of Object.values(req.files)) files.push(...list);
  }
  const described = new Map<string, UploadedFile>();
  for (const file of files) {
    const { mediaKind, sniffed } = engineInfo(file);
    if (!mediaKind || !sniffed) continue;
    const uploaded: UploadedFile = {
      path: file.path,
      size: file.size,
      kind: mediaKind,
      mime: sniffed.mime,
      ext: sniffed.ext,
    };
    if (mediaKind === "video") {
      uploaded.durationSeconds = await measureDuration(file.path, sniffed.ext);
      if (uploaded.durationSeconds === undefined) {
        throw new ApiError(400, "The video's duration could not be read", [
          { path: file.fieldname, message: "Unreadable video" },
        ]);
      }
    }
    described.set(file.fieldname, uploaded);
  }
  uploadsByRequest.set(req, described);
}

function uploadHandler(parse: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const tempPaths = new Set<string>();
    tempPathsByRequest.set(req, tempPaths);
    // Every way a request ends (answered, failed, client gone) closes the
    // response: the temp files go then. Storage has moved or copied them.
    res.once("close", () => void removeFiles(tempPaths));
    parse(req, res, (error?: unknown) => {
      if (error) {
        next(asClientError(error));
        return;
      }
      describeUploads(req).then(() => next(), next);
    });
  };
}

/**
 * With `fieldsFirst`, the text fields that came before the first file are
 * checked when that file starts, so a bad title is refused before any byte
 * of a 2 GiB video is stored, sniffed or measured (multer still reads and
 * discards the rest of the body before the 400 goes out). Fields that have
 * not arrived yet are left to validate(), so a file sent first still works.
 */
function fieldsFirstFilter(
  fieldsFirst: BodySchema | undefined
): multer.Options["fileFilter"] {
  if (!fieldsFirst) return undefined;
  return (req, _file, accept) => {
    const parsed = fieldsOf(fieldsFirst)
      .partial()
      .safeParse(req.body ?? {});
    if (parsed.success) accept(null, true);
    else accept(parsed.error);
  };
}

function parserFor(spec: Record<string, MediaKind>, fieldsFirst?: BodySchema) {
  mkdirSync(config.uploads.tempDir, { recursive: true });
  const storage = tempFileEngine({
    dir: config.uploads.tempDir,
    kindOf: (field) => (Object.hasOwn(spec, field) ? spec[field] : undefined),
    maxBytes: (kind) => MAX_BYTES[kind](),
    track: (req, file) => tempPathsByRequest.get(req)?.add(file),
  });
  return multer({
    storage,
    limits: limitsFor(spec),
    fileFilter: fieldsFirstFilter(fieldsFirst),
  });
}

let textFieldsParser: RequestHandler | undefined;

/**
 * A multipart form of text fields only, on an endpoint that takes no file
 * (Postman's form-data login, say): parsed with the same limits; a file in
 * it is an unexpected field (400).
 */
export const parseTextFields: RequestHandler = (req, res, next) => {
  textFieldsParser ??= uploadHandler(parserFor({}).none());
  textFieldsParser(req, res, next);
};

export const upload = {
  /** One optional image in `field`; multer sets `req.file`. */
  image(field: string): RequestHandler {
    const spec = { [field]: "image" as const };
    return uploadHandler(parserFor(spec).single(field));
  },
  /**
   * Several fields, one optional file each; multer sets `req.files[field][0]`.
   * `fieldsFirst`: the body schema the text fields before the first file must pass.
   */
  fields(
    spec: Record<string, MediaKind>,
    fieldsFirst?: BodySchema
  ): RequestHandler {
    return uploadHandler(
      parserFor(spec, fieldsFirst).fields(
        Object.keys(spec).map((name) => ({ name, maxCount: 1 }))
      )
    );
  },
};

/** The sniffed, checked file of `field`, if the request carried one. */
export function uploadedFile(
  req: Request,
  field: string
): UploadedFile | undefined {
  return uploadsByRequest.get(req)?.get(field);
}

/** Like `uploadedFile`, but a missing file is the client's 400. */
export function requiredFile(req: Request, field: string): UploadedFile {
  const file = uploadedFile(req, field);
  if (!file) {
    throw new ApiError(400, `${field} is required`, [
      { path: field, message: "File is required" },
    ]);
  }
  return file;
}
