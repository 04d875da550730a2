import mongoose, { Schema, type Types } from "mongoose";

/**
 * One video in one user's watch history. A document per pair with a unique
 * index, rather than the notes' array on the user: the history stays
 * bounded and pageable by an index, and unique inserts are exact on every
 * engine, including those that apply concurrent updates of one document
 * without isolation (src/db/engine).
 */
export interface WatchEntryFields {
  user: Types.ObjectId;
  video: Types.ObjectId;
  watchedAt: Date;
}

const watchEntrySchema = new Schema<WatchEntryFields>({
  user: { type: Schema.Types.ObjectId, ref: "User", required: true },
  video: { type: Schema.Types.ObjectId, ref: "Video", required: true },
  watchedAt: { type: Date, required: true },
});

watchEntrySchema.index({ user: 1, video: 1 }, { unique: true });
watchEntrySchema.index({ user: 1, watchedAt: -1, _id: -1 });
watchEntrySchema.index({ video: 1 });

export const WatchEntry = mongoose.model<WatchEntryFields>(
  "WatchEntry",
  watchEntrySchema
);
