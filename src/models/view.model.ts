import mongoose, { Schema, type Types } from "mongoose";

/** Who has viewed a video: the unique index makes a viewer's view count once. */
export interface ViewFields {
  video: Types.ObjectId;
  viewer: Types.ObjectId;
  createdAt: Date;
}

const viewSchema = new Schema<ViewFields>(
  {
    video: { type: Schema.Types.ObjectId, ref: "Video", required: true },
    viewer: { type: Schema.Types.ObjectId, ref: "User", required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } }
);

viewSchema.index({ video: 1, viewer: 1 }, { unique: true });

export const View = mongoose.model<ViewFields>("View", viewSchema);
