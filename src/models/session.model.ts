import mongoose, { Schema, type Types } from "mongoose";

/**
 * One login on one device. Only a hash of the current refresh token is kept;
 * a token whose hash no longer matches was already rotated, which means it
 * was copied: every session of the user is then revoked.
 */
export interface SessionFields {
  user: Types.ObjectId;
  refreshTokenHash: string;
  expiresAt: Date;
  lastUsedAt: Date;
  userAgent: string;
  createdAt: Date;
  updatedAt: Date;
}

const sessionSchema = new Schema<SessionFields>(
  {
    user: {
      type: Schema.Types.ObjectId,
      ref: "User",
      required: true,
      index: true,
    },
    refreshTokenHash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    lastUsedAt: { type: Date, required: true },
    userAgent: { type: String, default: "", maxlength: 512 },
  },
  { timestamps: true }
);

export const Session = mongoose.model<SessionFields>("Session", sessionSchema);
