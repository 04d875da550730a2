import mongoose, { Schema, type Types } from "mongoose";

export interface SubscriptionFields {
  /** The user who subscribes. */
  subscriber: Types.ObjectId;
  /** The user (channel) subscribed to. */
  channel: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const subscriptionSchema = new Schema<SubscriptionFields>(
  {
    subscriber: { type: Schema.Types.ObjectId, ref: "User", required: true },
    channel: { type: Schema.Types.ObjectId, ref: "User", required: true },
  },
  { timestamps: true }
);

// One subscription per pair: concurrent toggles race on this index, not on a read.
subscriptionSchema.index({ subscriber: 1, channel: 1 }, { unique: true });
subscriptionSchema.index({ channel: 1, createdAt: -1, _id: -1 });
subscriptionSchema.index({ subscriber: 1, createdAt: -1, _id: -1 });

export const Subscription = mongoose.model<SubscriptionFields>(
  "Subscription",
  subscriptionSchema
);
