import { randomBytes } from "node:crypto";
import { stat } from "node:fs/promises";
import type { Agent } from "node:https";
import {
  v2 as cloudinary,
  type UploadApiErrorResponse,
  type UploadApiOptions,
  type UploadApiResponse,
} from "cloudinary";
import { StorageError } from "./errors.js";
import type { MediaKind, MediaStorage, StoredFile } from "./types.js";

export interface CloudinaryOptions {
  cloudName: string;
  apiKey: string;
  apiSecret: string;
  /** The API host; only tests point it elsewhere. */
  uploadPrefix?: string;
  /** How long a call may wait for Cloudinary's next byte before it fails. */
  timeoutMs?: number;
  /** An https.Agent, e.g. one trusting a test server's certificate. */
  agent?: Agent;
  /** Videos above this size go up in chunks (upload_large). */
  largeUploadBytes?: number;
  /** Chunk size for upload_large; Cloudinary wants at least 5 MB. */
  chunkBytes?: number;
  folder?: string;
}

const MB = 1024 * 1024;

function describe(error: unknown): string {
  if (error && typeof error === "object" && "message" in error) {
    const { message, http_code: status } = error as {
      message?: unknown;
      http_code?: unknown;
    };
    return `${String(message)}${status === undefined ? "" : ` (HTTP ${String(status)})`}`;
  }
  return String(error);
}

/**
 * Cloudinary through the official SDK. Options go with every call instead of
 * the SDK's global config, so the storage is configured from the parsed
 * config and nothing depends on the order modules load in.
 */
export function createCloudinaryStorage(
  options: CloudinaryOptions
): MediaStorage {
  const largeUploadBytes = options.largeUploadBytes ?? 100 * MB;
  const folder = options.folder ?? "videotube";
  const common = {
    cloud_name: options.cloudName,
    api_key: options.apiKey,
    api_secret: options.apiSecret,
    ...(options.uploadPrefix ? { upload_prefix: options.uploadPrefix } : {}),
    ...(options.agent ? { agent: options.agent } : {}),
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  };

  // upload_large without a callback resolves before any chunk is sent, so
  // both calls use the callback form and settle on the SDK's final answer.
  const send = (
    localPath: string,
    uploadOptions: UploadApiOptions,
    large: boolean
  ) =>
    new Promise<UploadApiResponse>((resolve, reject) => {
      const done = (
        error?: UploadApiErrorResponse,
        result?: UploadApiResponse
      ) => {
        if (error || !result) reject(error ?? new Error("no answer"));
        else resolve(result);
      };
      if (large) {
        void cloudinary.uploader.upload_large(
          localPath,
          { ...uploadOptions, chunk_size: options.chunkBytes ?? 20 * MB },
          done
        );
      } else {
        // The callback has the outcome; the promise would reject unhandled.
        cloudinary.uploader
          .upload(localPath, uploadOptions, done)
          .catch(() => undefined);
      }
    });

  return {
    name: "cloudinary",

    async put(localPath: string, kind: MediaKind): Promise<StoredFile> {
      try {
        const { size } = await stat(localPath);
        const result = await send(
          localPath,
          {
            ...common,
            resource_type: kind,
            public_id: `${folder}/${kind}/${randomBytes(16).toString("hex")}`,
            overwrite: false,
          } as UploadApiOptions,
          kind === "video" && size > largeUploadBytes
        );
        if (typeof result.secure_url !== "string" || !result.secure_url) {
          throw new Error("Cloudinary answered without a secure_url");
        }
        const stored: StoredFile = {
          url: result.secure_url,
          publicId: result.public_id,
          bytes: typeof result.bytes === "number" ? result.bytes : size,
        };
        if (typeof result.duration === "number") {
          stored.durationSeconds = result.duration;
        }
        return stored;
      } catch (error) {
        throw new StorageError(`Cloudinary upload failed: ${describe(error)}`, {
          cause: error,
        });
      }
    },

    async delete(publicId: string, kind: MediaKind): Promise<void> {
      let result: { result?: string } | undefined;
      try {
        result = (await cloudinary.uploader.destroy(publicId, {
          ...common,
          resource_type: kind,
          invalidate: true,
        } as UploadApiOptions)) as { result?: string };
      } catch (error) {
        throw new StorageError(`Cloudinary delete failed: ${describe(error)}`, {
          cause: error,
        });
      }
      // "not found" is what a second delete gets: already gone is fine.
      if (result?.result !== "ok" && result?.result !== "not found") {
        throw new StorageError(
          `Cloudinary delete answered ${JSON.stringify(result)}`
        );
      }
    },
  };
}
