import mongoose, {
  Schema,
  type AggregatePaginateModel,
  type HydratedDocument,
  type Types,
} from "mongoose";
import mongooseAggregatePaginate from "mongoose-aggregate-paginate-v2";

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
commentSchema.plugin(mongooseAggregatePaginate);

export const Comment = mongoose.model<
  CommentFields,
  AggregatePaginateModel<CommentFields>
>("Comment", commentSchema);

export type CommentDocument = HydratedDocument<CommentFields>;
