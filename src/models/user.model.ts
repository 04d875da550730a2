import bcrypt from "bcrypt";
import mongoose, { Schema, type HydratedDocument, type Types } from "mongoose";
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
      // Secrets and internals never leave through JSON; media leave as URLs.
      transform(_doc, ret: Record<string, unknown>) {
        delete ret.password;
        delete ret.__v;
        ret.avatar = (ret.avatar as StoredMedia | undefined)?.url ?? "";
        ret.coverImage = (ret.coverImage as StoredMedia | undefined)?.url ?? "";
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

/** The fields of a user that anyone may see (no email). */
export const PUBLIC_USER_FIELDS = "username fullName avatar coverImage";

export interface PublicUser {
  _id: string;
  username: string;
  fullName: string;
  avatar: string;
  coverImage: string;
}

type UserLike = Pick<
  UserFields,
  "username" | "fullName" | "avatar" | "coverImage"
> & {
  _id: Types.ObjectId | string;
};

/** A user as others see them: `{ _id, username, fullName, avatar, coverImage }`. */
export function toPublicUser(user: UserLike): PublicUser {
  return {
    _id: String(user._id),
    username: user.username,
    fullName: user.fullName,
    avatar: user.avatar?.url ?? "",
    coverImage: user.coverImage?.url ?? "",
  };
}
