import type { Types } from "mongoose";
import type { UserFields } from "../models/user.model.js";

/** The fields of a user that anyone may see (no email): a projection. */
export const PUBLIC_USER_FIELDS = "username fullName avatar coverImage";

export interface PublicUser {
  _id: string;
  username: string;
  fullName: string;
  avatar: string;
  coverImage: string;
}

/** The signed-in user's own account: the public face plus email and dates. */
export interface OwnUser extends PublicUser {
  email: string;
  createdAt: Date;
  updatedAt: Date;
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

/** A user as they see themselves; never the password hash. */
export function toOwnUser(
  user: UserLike & Pick<UserFields, "email" | "createdAt" | "updatedAt">
): OwnUser {
  return {
    ...toPublicUser(user),
    email: user.email,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}
