import mongoose, { Schema, type HydratedDocument, type Types } from "mongoose";

export interface TweetFields {
  content: string;
  owner: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const tweetSchema = new Schema<TweetFields>(
  {
    content: { type: String, required: true, trim: true },
    owner: { type: Schema.Types.ObjectId, ref: "User", required: true },
  },
  { timestamps: true }
);

tweetSchema.index({ owner: 1, createdAt: -1, _id: -1 });

export const Tweet = mongoose.model<TweetFields>("Tweet", tweetSchema);

export type TweetDocument = HydratedDocument<TweetFields>;
