import { Types } from "mongoose";
import { findByIds } from "../db/engine/index.js";
import { User } from "../models/user.model.js";
import {
  PUBLIC_USER_FIELDS,
  toPublicUser,
  type PublicUser,
} from "../presenters/user.presenter.js";

type Id = Types.ObjectId | string;

/**
 * The public face of each of `ids`, in one look-up for a whole page, never
 * one query per item.
 */
export async function publicUsersById(
  ids: Id[]
): Promise<Map<string, PublicUser>> {
  const users = new Map<string, PublicUser>();
  const unique = [...new Set(ids.map(String))].map(
    (id) => new Types.ObjectId(id)
  );
  const found = await findByIds(User, unique, PUBLIC_USER_FIELDS);
  for (const user of found) users.set(String(user._id), toPublicUser(user));
  return users;
}
