import type { RequestHandler, Response } from "express";
import type { HydratedDocument } from "mongoose";
import { Playlist, type PlaylistFields } from "../models/playlist.model.js";
import { idParams } from "../schemas/common.schema.js";
import { ApiError } from "../utils/ApiError.js";
import { requireViewer } from "./auth.middleware.js";
import { inputOf } from "./validate.middleware.js";

export type PlaylistDocument = HydratedDocument<PlaylistFields>;

declare module "express-serve-static-core" {
  interface Locals {
    /** Set by loadPlaylist / loadOwnPlaylist. */
    playlist?: PlaylistDocument;
  }
}

const playlistParams = { params: idParams("playlistId") };

async function findPlaylist(res: Response): Promise<PlaylistDocument> {
  const { playlistId } = inputOf(res, playlistParams).params;
  const playlist = await Playlist.findById(playlistId);
  if (!playlist) throw new ApiError(404, "Playlist not found");
  return playlist;
}

/** The playlist named by the validated `playlistId`, or 404. */
export const loadPlaylist: RequestHandler = async (_req, res, next) => {
  res.locals.playlist = await findPlaylist(res);
  next();
};

/** As loadPlaylist, and 403 unless the signed-in viewer owns it. */
export const loadOwnPlaylist: RequestHandler = async (_req, res, next) => {
  const playlist = await findPlaylist(res);
  if (!playlist.owner.equals(requireViewer(res).user._id)) {
    throw new ApiError(403, "Only the owner can change this playlist");
  }
  res.locals.playlist = playlist;
  next();
};

/** The playlist a loader put in res.locals. */
export function loadedPlaylist(res: Response): PlaylistDocument {
  if (!res.locals.playlist) throw new ApiError(404, "Playlist not found");
  return res.locals.playlist;
}
