import { copyFile, link, open, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { Types } from "mongoose";
import { config } from "../config.js";
import { changeDocument, updateDocument } from "../db/engine/index.js";
import { ResumableUpload } from "../models/resumableUpload.model.js";
import type { UploadedFile } from "../types/upload.js";
import { ApiError } from "../utils/ApiError.js";
import { logger } from "../utils/logger.js";
import { measureDuration } from "../utils/media/duration.js";
import {
  SNIFF_BYTES,
  acceptedTypes,
  sniffMedia,
  type SniffedType,
} from "../utils/media/sniff.js";
import { randomTempName, removeFiles } from "../utils/media/temp-files.js";
import type { MediaKind } from "../utils/storage/types.js";

const { resumable } = config.uploads;

const MAX_BYTES: Record<MediaKind, () => number> = {
  image: () => config.uploads.maxImageBytes,
  video: () => config.uploads.maxVideoBytes,
};

/** A new upload's id, as tus puts it in the upload's URL. */
export const newUploadId = (): string => new Types.ObjectId().toHexString();

const isUploadId = (id: string) => /^[a-f0-9]{24}$/.test(id);

/**
 * A refusal in the tus protocol's terms: the tus server answers it with this
 * status and the message as its plain-text body.
 */
export class UploadRefusal extends Error {
  override name = "UploadRefusal";
  readonly body: string;
  constructor(
    readonly status_code: number,
    message: string
  ) {
    super(message);
    this.body = `${message}\n`;
  }
}

const notFound = () =>
  new UploadRefusal(404, "The file for this url was not found");

/** The bytes of an upload, and the JSON file in which tus describes them. */
const filesOf = (id: Types.ObjectId | string) => {
  const bytes = path.join(resumable.dir, String(id));
  return { bytes, info: `${bytes}.json` };
};

async function removeUploadFiles(id: Types.ObjectId | string): Promise<void> {
  const { bytes, info } = filesOf(id);
  await removeFiles([bytes, info]);
}

/**
 * What the client says the upload is for: `kind` (video or image) in its
 * metadata, or a `filetype` such as video/mp4 (what tus-js-client sends).
 * It sets the size limit; the content itself is sniffed once complete.
 */
export function kindOfMetadata(
  metadata: Record<string, string | null> | undefined
): MediaKind | undefined {
  const kind = metadata?.kind?.trim().toLowerCase();
  if (kind === "video" || kind === "image") return kind;
  const type = metadata?.filetype?.trim().toLowerCase() ?? "";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("image/")) return "image";
  return undefined;
}

/**
 * Records a new upload for its owner, or refuses it: a length is required
 * (no deferred length), within the limit of its kind, and the owner may
 * hold at most RESUMABLE_UPLOADS_PER_USER uploads at once. Two creations at
 * the same instant may both pass the count: the bound is one over at worst.
 */
export async function registerUpload(
  ownerId: string,
  upload: {
    id: string;
    size?: number;
    metadata?: Record<string, string | null>;
  }
): Promise<void> {
  if (!isUploadId(upload.id)) throw notFound();
  if (upload.size === undefined) {
    throw new UploadRefusal(
      400,
      "Upload-Length is required: uploads of unknown length are not taken"
    );
  }
  const kind = kindOfMetadata(upload.metadata);
  if (!kind) {
    throw new UploadRefusal(
      400,
      "Upload-Metadata must say what the upload is: kind video or image (or a filetype such as video/mp4)"
    );
  }
  if (upload.size === 0) {
    throw new UploadRefusal(415, "The uploaded file is empty");
  }
  const maxBytes = MAX_BYTES[kind]();
  if (upload.size > maxBytes) {
    throw new UploadRefusal(
      413,
      `A ${kind} may have at most ${maxBytes} bytes`
    );
  }
  const inProgress = await ResumableUpload.countDocuments({
    owner: ownerId,
    state: { $in: ["receiving", "complete"] },
  });
  if (inProgress >= resumable.perUser) {
    throw new UploadRefusal(
      403,
      `At most ${resumable.perUser} uploads in progress: finish, publish or delete one first`
    );
  }
  await ResumableUpload.create({
    _id: upload.id,
    owner: ownerId,
    kind,
    size: upload.size,
    expiresAt: new Date(Date.now() + resumable.expiryMs),
  });
}

/**
 * The owner's upload, or the 404 anyone else gets (whether it exists is no
 * one else's business). A DELETE forgets the record here, before tus removes
 * the files (files a failed removal leaves are swept once they expire); one
 * that a publish has claimed is a 409: the publish is reading it.
 */
export async function requireOwnUpload(
  ownerId: string,
  id: string,
  method: string
): Promise<void> {
  if (!isUploadId(id)) throw notFound();
  if (method === "DELETE") {
    const { deletedCount } = await ResumableUpload.deleteOne({
      _id: id,
      owner: ownerId,
      state: { $in: ["receiving", "complete"] },
    });
    if (deletedCount === 1) return;
  }
  const upload = await ResumableUpload.findOne(
    { _id: id, owner: ownerId },
    { state: 1 }
  ).lean();
  if (!upload) throw notFound();
  if (method === "DELETE") {
    throw upload.state === "publishing"
      ? new UploadRefusal(409, "The upload is being published")
      : notFound();
  }
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const sniffUpload = async (
  id: Types.ObjectId | string,
  kind: MediaKind
): Promise<SniffedType | undefined> =>
  sniffMedia(await readHead(filesOf(id).bytes), kind);

const unsupported = (kind: MediaKind) =>
  `Unsupported ${kind} type: send ${acceptedTypes(kind).join(", ")}`;

/**
 * Once the last byte is in, the content is sniffed as a form's file is: an
 * upload that is not what it said it was is deleted (bytes and record) and
 * refused with a 415, so nothing of it stays.
 */
export async function checkFinishedUpload(id: string): Promise<void> {
  const upload = await ResumableUpload.findOne(
    { _id: id },
    { kind: 1, state: 1 }
  ).lean();
  if (!upload) throw notFound();
  // An empty PATCH at the end finishes the upload a second time.
  if (upload.state !== "receiving") return;
  if (!(await sniffUpload(id, upload.kind))) {
    await discardUpload(upload._id);
    throw new UploadRefusal(415, unsupported(upload.kind));
  }
  await updateDocument(ResumableUpload, upload._id, {
    $set: { state: "complete" },
  });
}

/** The files and the record of an upload, gone. */
async function discardUpload(id: Types.ObjectId): Promise<void> {
  await removeUploadFiles(id);
  await ResumableUpload.deleteOne({ _id: id });
}

/** What a publish asks of one upload: its id, and the kind the field takes. */
export interface WantedUpload {
  id: string;
  kind: MediaKind;
}

interface Claimed {
  id: Types.ObjectId;
  kind: MediaKind;
}

/**
 * Claims one upload for a publish: the caller's, of the kind the field
 * takes, complete. Read and written as one change of the document, so two
 * publishes with one id never both get it; anything else is the 4xx that
 * names the field.
 */
function claimUpload(
  field: string,
  ownerId: string,
  wanted: WantedUpload
): Promise<Claimed> {
  const id = new Types.ObjectId(wanted.id);
  return changeDocument(
    ResumableUpload,
    id,
    ["owner", "kind", "state"],
    (upload) => {
      if (!upload || String(upload.owner) !== ownerId) {
        throw new ApiError(404, "Upload not found", [
          { path: field, message: "No upload of yours has this id" },
        ]);
      }
      if (upload.kind !== wanted.kind) {
        throw new ApiError(415, `${field} must be a ${wanted.kind} upload`, [
          { path: field, message: `Not a ${wanted.kind} upload` },
        ]);
      }
      if (upload.state !== "complete") {
        const message =
          upload.state === "receiving"
            ? "The upload is not finished: send its remaining bytes first"
            : "The upload was already used";
        throw new ApiError(409, message, [{ path: field, message }]);
      }
      return {
        update: { $set: { state: "publishing" } },
        result: { id, kind: wanted.kind },
      };
    }
  );
}

async function claimUploads(
  ownerId: string,
  wanted: Record<string, WantedUpload>
): Promise<Map<string, Claimed>> {
  const claimed = new Map<string, Claimed>();
  try {
    for (const [field, upload] of Object.entries(wanted))
      claimed.set(field, await claimUpload(field, ownerId, upload));
  } catch (error) {
    await releaseUploads([...claimed.values()]);
    throw error;
  }
  return claimed;
}

async function releaseUploads(uploads: Claimed[]): Promise<void> {
  await Promise.all(
    uploads.map((upload) =>
      updateDocument(ResumableUpload, upload.id, {
        $set: { state: "complete" },
      }).catch((error: unknown) =>
        logger.warn(
          { err: error, upload: String(upload.id) },
          "could not release an upload; it expires as usual"
        )
      )
    )
  );
}

/**
 * A second name for the upload's bytes in the temp folder, with the sniffed
 * extension, for storage to move (or send) as it does a form's file: the
 * upload keeps its own name until the publish is stored.
 */
async function linkIntoTemp(id: Types.ObjectId, ext: string): Promise<string> {
  const source = filesOf(id).bytes;
  const target = path.join(config.uploads.tempDir, randomTempName(ext));
  await link(source, target).catch(async (error: unknown) => {
    if ((error as { code?: string }).code !== "EXDEV") throw error;
    await copyFile(source, target);
  });
  return target;
}

/**
 * Checks a claimed upload as the multipart route checks a form's file
 * (magic bytes, then the video's duration) and hands it on as one.
 */
async function describeClaimed(
  field: string,
  upload: Claimed,
  tempPaths: string[]
): Promise<UploadedFile> {
  const sniffed = await sniffUpload(upload.id, upload.kind);
  if (!sniffed) {
    throw new ApiError(415, unsupported(upload.kind), [
      { path: field, message: "Unsupported file type" },
    ]);
  }
  const tempPath = await linkIntoTemp(upload.id, sniffed.ext);
  tempPaths.push(tempPath);
  const { size } = await stat(tempPath);
  const file: UploadedFile = {
    path: tempPath,
    size,
    kind: upload.kind,
    mime: sniffed.mime,
    ext: sniffed.ext,
  };
  if (upload.kind === "video") {
    file.durationSeconds = await measureDuration(tempPath, sniffed.ext);
    if (file.durationSeconds === undefined) {
      throw new ApiError(400, "The video's duration could not be read", [
        { path: field, message: "Unreadable video" },
      ]);
    }
  }
  return file;
}

/**
 * Runs `publish` with finished uploads as if they had come in a form. On
 * success the uploads' bytes go and their records say used (a second use
 * is a 409). If their content is refused (415, 400), they are deleted as a
 * form's files would be; if anything else fails (storage, database), they
 * are released, whole, for another try. The temp names go either way.
 */
export async function publishFromUploads<T>(
  ownerId: string,
  wanted: Record<string, WantedUpload>,
  publish: (files: Record<string, UploadedFile>) => Promise<T>
): Promise<T> {
  const claimed = await claimUploads(ownerId, wanted);
  const uploads = [...claimed.values()];
  const tempPaths: string[] = [];
  try {
    const files: Record<string, UploadedFile> = {};
    for (const [field, upload] of claimed)
      files[field] = await describeClaimed(field, upload, tempPaths);
    const result = await publish(files);
    await markUsed(uploads);
    return result;
  } catch (error) {
    const refused =
      error instanceof ApiError &&
      (error.statusCode === 415 || error.statusCode === 400);
    if (refused)
      await Promise.all(uploads.map((upload) => discardUpload(upload.id)));
    else await releaseUploads(uploads);
    throw error;
  } finally {
    await removeFiles(tempPaths);
  }
}

async function markUsed(uploads: Claimed[]): Promise<void> {
  await Promise.all(
    uploads.map(async (upload) => {
      await removeUploadFiles(upload.id);
      // The video is stored: if this write fails the record stays
      // "publishing", which refuses its id as "used" would, until it expires.
      await updateDocument(ResumableUpload, upload.id, {
        $set: { state: "used" },
      }).catch((error: unknown) =>
        logger.warn(
          { err: error, upload: String(upload.id) },
          "an upload was not marked used"
        )
      );
    })
  );
}

const SWEEP_BATCH = 100;

/**
 * Deletes every upload past its expiry, bytes and record, whatever its
 * state, then files in the folder that no record names once they are older
 * than the expiry (a record lost to a crash). Answers how many went.
 */
export async function sweepExpiredUploads(now = new Date()): Promise<number> {
  let removed = 0;
  for (;;) {
    const expired = await ResumableUpload.find(
      { expiresAt: { $lt: now } },
      { _id: 1 }
    )
      .sort({ expiresAt: 1 })
      .limit(SWEEP_BATCH)
      .lean();
    for (const { _id } of expired) {
      await removeUploadFiles(_id);
      await ResumableUpload.deleteOne({ _id });
      removed++;
    }
    if (expired.length < SWEEP_BATCH) break;
  }
  return removed + (await sweepUnrecordedFiles(now));
}

async function sweepUnrecordedFiles(now: Date): Promise<number> {
  const names = await readdir(resumable.dir).catch(() => [] as string[]);
  const ids = [
    ...new Set(names.map((name) => name.replace(/\.json$/, ""))),
  ].filter(isUploadId);
  if (ids.length === 0) return 0;
  const recorded = new Set(
    (await ResumableUpload.find({ _id: { $in: ids } }, { _id: 1 }).lean()).map(
      (upload) => String(upload._id)
    )
  );
  let removed = 0;
  for (const id of ids) {
    if (recorded.has(id)) continue;
    const { bytes, info } = filesOf(id);
    const written = await stat(bytes)
      .catch(() => stat(info))
      .catch(() => undefined);
    if (written && now.getTime() - written.mtimeMs > resumable.expiryMs) {
      await removeUploadFiles(id);
      removed++;
    }
  }
  return removed;
}
