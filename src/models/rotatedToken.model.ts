import mongoose, { Schema, type Types } from "mongoose";

/**
 * A refresh token that has been traded in. The unique hash is what makes
 * rotation race-safe on every engine, without a compare-and-set update: of
 * two refreshes with one token, only one can insert it.
 */
export interface RotatedTokenFields {
  tokenHash: string;
  session: Types.ObjectId;
  user: Types.ObjectId;
  family: Types.ObjectId;
  /** When it was traded in: the start of its grace window. */
  rotatedAt: Date;
  expiresAt: Date;
}

const rotatedTokenSchema = new Schema<RotatedTokenFields>({
  tokenHash: { type: String, required: true, unique: true },
  session: {
    type: Schema.Types.ObjectId,
    ref: "Session",
    required: true,
    index: true,
  },
  user: {
    type: Schema.Types.ObjectId,
    ref: "User",
    required: true,
    index: true,
  },
  family: { type: Schema.Types.ObjectId, required: true, index: true },
  rotatedAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
});

export const RotatedToken = mongoose.model<RotatedTokenFields>(
  "RotatedToken",
  rotatedTokenSchema
);
