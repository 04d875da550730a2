import mongoose, { Schema, type Types } from "mongoose";
import type { MediaKind } from "../utils/storage/types.js";

/**
 * receiving: bytes still arriving; complete: all in and sniffed, waiting for
 * a publish; publishing: claimed by one POST /videos; used: stored, its bytes
 * gone. A used record stays until it expires, so the same id sent again is
 * a 409 rather than a 404.
 */
export const RESUMABLE_UPLOAD_STATES = [
  "receiving",
  "complete",
  "publishing",
  "used",
] as const;
export type ResumableUploadState = (typeof RESUMABLE_UPLOAD_STATES)[number];

/**
 * Who owns a tus upload and where it stands. Its `_id` is the upload's id in
 * the tus URL (the hex of an ObjectId); its bytes, and tus's own record of
 * them, are files named by that id in RESUMABLE_UPLOAD_DIR.
 */
export interface ResumableUploadFields {
  _id: Types.ObjectId;
  owner: Types.ObjectId;
  kind: MediaKind;
  size: number;
  state: ResumableUploadState;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const resumableUploadSchema = new Schema<ResumableUploadFields>(
  {
    owner: { type: Schema.Types.ObjectId, ref: "User", required: true },
    kind: { type: String, enum: ["image", "video"], required: true },
    size: { type: Number, required: true, min: 1 },
    state: {
      type: String,
      enum: RESUMABLE_UPLOAD_STATES,
      required: true,
      default: "receiving",
    },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true }
);

// A user's uploads in progress are counted at each creation.
resumableUploadSchema.index({ owner: 1, state: 1 });
resumableUploadSchema.index({ expiresAt: 1 });

export const ResumableUpload = mongoose.model<ResumableUploadFields>(
  "ResumableUpload",
  resumableUploadSchema
);
