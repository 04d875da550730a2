import mongoose, { Schema, type Types } from "mongoose";

/**
 * A running API process, kept alive by its heartbeat and removed when it
 * stops cleanly: one whose heartbeat stopped died mid-work, and may have
 * left a counter behind its records (jobs/counterRepair.job.ts).
 */
export interface InstanceFields {
  _id: Types.ObjectId;
  heartbeatAt: Date;
}

const instanceSchema = new Schema<InstanceFields>({
  heartbeatAt: { type: Date, required: true },
});

instanceSchema.index({ heartbeatAt: 1 });

export const Instance = mongoose.model<InstanceFields>(
  "Instance",
  instanceSchema
);
