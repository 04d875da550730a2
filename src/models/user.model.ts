import bcrypt from "bcrypt";
import mongoose, { Schema, type HydratedDocument } from "mongoose";
import { storedMediaSchema, type StoredMedia } from "./media.schema.js";

export const BCRYPT_COST = 10;
/** Watch history keeps the most recent entries only. */
export const WATCH_HISTORY_LIMIT = 500;

export interface UserFields {
  username: string;
  email: string;
  fullName: string;
  avatar: StoredMedia;
  coverImage?: StoredMedia;
  password: string;
  createdAt: Date;
  updatedAt: Date;
}

interface UserMethods {
  isPasswordCorrect(password: string): Promise<boolean>;
}

export type UserDocument = HydratedDocument<UserFields, UserMethods>;

const userSchema = new Schema<
  UserFields,
  mongoose.Model<UserFields, object, UserMethods>,
  UserMethods
>(
  {
    username: {
      type: String,
      required: true,
      unique: true,
      lowercase: true,
      trim: true,
      index: true,
    },
    // The notes spelled it `lowecase`, so emails were stored as typed.
    email: {
      type: String,
      required: true,
      unique: true,
      lowercase: true,
      trim: true,
    },
    fullName: { type: String, required: true, trim: true, index: true },
    avatar: { type: storedMediaSchema, required: true },
    coverImage: { type: storedMediaSchema },
    password: { type: String, required: [true, "Password is required"] },
  },
  {
    timestamps: true,
    toJSON: {
      // Answers are built by src/presenters; this only keeps the password
      // hash out of a document serialized by mistake (a log line, say).
      transform(_doc, ret: Record<string, unknown>) {
        delete ret.password;
        return ret;
      },
    },
  }
);

// The notes kept watchHistory as an array on the user; it lives in
// WatchEntry (see there why), and this virtual keeps the name reachable.
userSchema.virtual("watchHistory", {
  ref: "WatchEntry",
  localField: "_id",
  foreignField: "user",
});

userSchema.pre("save", async function () {
  if (!this.isModified("password")) return;
  this.password = await bcrypt.hash(this.password, BCRYPT_COST);
});

userSchema.methods.isPasswordCorrect = function (password: string) {
  return bcrypt.compare(password, this.password);
};

export const User = mongoose.model<
  UserFields,
  mongoose.Model<UserFields, object, UserMethods>
>("User", userSchema);
