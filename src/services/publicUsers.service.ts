import { Types } from "mongoose";
import { User } from "../models/user.model.js";
import {
  PUBLIC_USER_FIELDS,
  toPublicUser,
  type PublicUser,
} from "../presenters/user.presenter.js";

type Id = Types.ObjectId | string;

/**
 * The public face of each of `ids`, in ONE query for a whole page (FerretDB
 * has no $lookup, and a query per item is the N+1 this avoids).
 */
export async function publicUsersById(
  ids: Id[]
): Promise<Map<string, PublicUser>> {
  const users = new Map<string, PublicUser>();
  const unique = [...new Set(ids.map(String))];
  if (unique.length === 0) return users;
  // One id (a watch, a channel's own page) as `{_id}` alone: an index hit on
  // every engine, while FerretDB scans the collection for any $in.
  const filter =
    unique.length === 1
      ? { _id: new Types.ObjectId(unique[0]) }
      : { _id: { $in: unique.map((id) => new Types.ObjectId(id)) } };
  const found = await User.find(filter, PUBLIC_USER_FIELDS).lean();
  for (const user of found) users.set(String(user._id), toPublicUser(user));
  return users;
}
