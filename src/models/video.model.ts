import mongoose, { Schema, type HydratedDocument, type Types } from "mongoose";
import { storedMediaSchema, type StoredMedia } from "./media.schema.js";

export interface VideoFields {
  videoFile: StoredMedia;
  thumbnail: StoredMedia;
  owner: Types.ObjectId;
  title: string;
  description: string;
  /** Seconds, measured from the file. */
  duration: number;
  views: number;
  /** Kept by each like toggle and comment write (set from an indexed count). */
  likesCount: number;
  commentsCount: number;
  isPublished: boolean;
  /**
   * Set when a delete starts: the video is hidden from everyone while its
   * likes, comments and other records go, so an interrupted delete leaves
   * nothing visible half-deleted and the owner can delete it again.
   */
  deletingAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const videoSchema = new Schema<VideoFields>(
  {
    videoFile: { type: storedMediaSchema, required: true },
    thumbnail: { type: storedMediaSchema, required: true },
    owner: { type: Schema.Types.ObjectId, ref: "User", required: true },
    // `searched`: found by case-insensitive substring (GET /videos?query=);
    // the embedded engine keeps a trigram index of each such field.
    title: { type: String, required: true, trim: true, searched: true },
    description: { type: String, required: true, trim: true, searched: true },
    duration: { type: Number, required: true, min: 0 },
    views: { type: Number, default: 0, min: 0 },
    likesCount: { type: Number, default: 0, min: 0 },
    commentsCount: { type: Number, default: 0, min: 0 },
    isPublished: { type: Boolean, default: true },
    deletingAt: { type: Date },
  },
  { timestamps: true }
);

// Every list sorts with _id last so pages never repeat or skip items. Each
// sort of GET /videos has an index for the global list (published), a
// channel seen by others (owner, published) and by its owner (owner):
// tests check every query the suite sends against these.
const SORTS = [
  ["createdAt", -1],
  ["views", -1],
  ["duration", -1],
  ["title", 1],
] as const;
for (const [field, direction] of SORTS) {
  const prefixes: Record<string, 1>[] = [
    { isPublished: 1 },
    { owner: 1, isPublished: 1 },
    { owner: 1 },
  ];
  for (const equality of prefixes)
    videoSchema.index({ ...equality, [field]: direction, _id: direction });
}

export type VideoDocument = HydratedDocument<VideoFields>;

export const Video = mongoose.model<VideoFields>("Video", videoSchema);
