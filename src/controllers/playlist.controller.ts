import type { Request, Response } from "express";
import { requireViewer } from "../middlewares/auth.middleware.js";
import { loadedPlaylist } from "../middlewares/playlist.middleware.js";
import { inputOf } from "../middlewares/validate.middleware.js";
import { toPublicUser } from "../models/user.model.js";
import * as schema from "../schemas/playlist.schema.js";
import * as playlists from "../services/playlist.service.js";
import { ApiResponse } from "../utils/ApiResponse.js";

export async function createPlaylist(_req: Request, res: Response) {
  const { body } = inputOf(res, schema.createPlaylist);
  const playlist = await playlists.createPlaylist(
    requireViewer(res).user,
    body
  );
  res.status(201).json(new ApiResponse(201, playlist, "Playlist created"));
}

export async function getPlaylist(_req: Request, res: Response) {
  const playlist = await playlists.playlistDetail(
    loadedPlaylist(res),
    res.locals.viewer?.user._id
  );
  res.json(new ApiResponse(200, playlist, "Playlist fetched"));
}

export async function userPlaylists(_req: Request, res: Response) {
  const { params, query } = inputOf(res, schema.userPlaylists);
  const page = await playlists.userPlaylists(
    params.userId,
    res.locals.viewer?.user._id,
    query
  );
  res.json(new ApiResponse(200, page, "Playlists fetched"));
}

export async function updatePlaylist(_req: Request, res: Response) {
  const { body } = inputOf(res, schema.updatePlaylist);
  const playlist = await playlists.updatePlaylist(
    loadedPlaylist(res),
    toPublicUser(requireViewer(res).user),
    body
  );
  res.json(new ApiResponse(200, playlist, "Playlist updated"));
}

export async function deletePlaylist(_req: Request, res: Response) {
  await playlists.deletePlaylist(loadedPlaylist(res));
  res.json(new ApiResponse(200, {}, "Playlist deleted"));
}

export async function addVideo(_req: Request, res: Response) {
  const { params } = inputOf(res, schema.addVideoToPlaylist);
  const playlist = await playlists.addVideo(
    loadedPlaylist(res),
    toPublicUser(requireViewer(res).user),
    params.videoId
  );
  res.json(new ApiResponse(200, playlist, "Video added to playlist"));
}

export async function removeVideo(_req: Request, res: Response) {
  const { params } = inputOf(res, schema.removeVideoFromPlaylist);
  const playlist = await playlists.removeVideo(
    loadedPlaylist(res),
    toPublicUser(requireViewer(res).user),
    params.videoId
  );
  res.json(new ApiResponse(200, playlist, "Video removed from playlist"));
}
