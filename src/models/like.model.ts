import mongoose, { Schema, type Types } from "mongoose";

export const LIKE_TARGETS = ["video", "comment", "tweet"] as const;
export type LikeTarget = (typeof LIKE_TARGETS)[number];

/**
 * A like of a video, a comment or a tweet. The notes had three optional
 * fields (video, comment, tweet); a unique index over an optional field makes
 * every "missing" value collide, and partial indexes are not on every
 * engine, so the target is one required field with its kind beside it.
 */
export interface LikeFields {
  targetType: LikeTarget;
  target: Types.ObjectId;
  likedBy: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const likeSchema = new Schema<LikeFields>(
  {
    targetType: { type: String, enum: LIKE_TARGETS, required: true },
    target: { type: Schema.Types.ObjectId, required: true },
    likedBy: { type: Schema.Types.ObjectId, ref: "User", required: true },
  },
  { timestamps: true }
);

likeSchema.index({ targetType: 1, target: 1, likedBy: 1 }, { unique: true });
likeSchema.index({ likedBy: 1, targetType: 1, createdAt: -1 });

export const Like = mongoose.model<LikeFields>("Like", likeSchema);
