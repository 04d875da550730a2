import mongoose, { Schema, type HydratedDocument, type Types } from "mongoose";

export interface PlaylistFields {
  name: string;
  description: string;
  videos: Types.ObjectId[];
  owner: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const playlistSchema = new Schema<PlaylistFields>(
  {
    name: { type: String, required: true, trim: true },
    description: { type: String, default: "", trim: true },
    videos: [{ type: Schema.Types.ObjectId, ref: "Video" }],
    owner: { type: Schema.Types.ObjectId, ref: "User", required: true },
  },
  { timestamps: true }
);

playlistSchema.index({ owner: 1, createdAt: -1, _id: -1 });
// The playlists holding a video, when it is deleted.
playlistSchema.index({ videos: 1 });

export const Playlist = mongoose.model<PlaylistFields>(
  "Playlist",
  playlistSchema
);

export type PlaylistDocument = HydratedDocument<PlaylistFields>;
