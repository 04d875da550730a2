import mongoose, { Schema, type HydratedDocument, type Types } from "mongoose";

export interface CommentFields {
  content: string;
  video: Types.ObjectId;
  owner: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const commentSchema = new Schema<CommentFields>(
  {
    content: { type: String, required: true, trim: true },
    video: { type: Schema.Types.ObjectId, ref: "Video", required: true },
    owner: { type: Schema.Types.ObjectId, ref: "User", required: true },
  },
  { timestamps: true }
);

commentSchema.index({ video: 1, createdAt: -1, _id: -1 });

export const Comment = mongoose.model<CommentFields>("Comment", commentSchema);

export type CommentDocument = HydratedDocument<CommentFields>;
