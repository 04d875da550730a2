import mongoose, { Schema, type Types } from "mongoose";

/**
 * One login on one device. Only a hash of the current refresh token is kept.
 * A sign-in starts a family (its own id); a refresh within the grace window
 * with a token just rotated starts a sibling in the same family, and a token
 * reused after the window ends the whole family (session.service).
 */
export interface SessionFields {
  user: Types.ObjectId;
  family: Types.ObjectId;
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
    family: { type: Schema.Types.ObjectId, required: true, index: true },
    refreshTokenHash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    lastUsedAt: { type: Date, required: true },
    userAgent: { type: String, default: "", maxlength: 512 },
  },
  { timestamps: true }
);

export const Session = mongoose.model<SessionFields>("Session", sessionSchema);
