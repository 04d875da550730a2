import { requireViewer } from "../middlewares/auth.middleware.js";
import { loaded } from "../middlewares/loaders.middleware.js";
import { inputOf } from "../middlewares/validate.middleware.js";
import { toPublicUser } from "../presenters/user.presenter.js";
import * as schema from "../schemas/playlist.schema.js";
import * as playlists from "../services/playlist.service.js";
import { ApiResponse } from "../utils/ApiResponse.js";
import { asyncHandler } from "../utils/asyncHandler.js";

export const createPlaylist = asyncHandler(async (_req, res) => {
  const { body } = inputOf(res, schema.createPlaylist);
  const playlist = await playlists.createPlaylist(
    requireViewer(res).user,
    body
  );
  res.status(201).json(new ApiResponse(201, playlist, "Playlist created"));
});

export const getPlaylist = asyncHandler(async (_req, res) => {
  const playlist = await playlists.playlistDetail(
    loaded(res, "playlist"),
    res.locals.viewer?.user._id
  );
  res.json(new ApiResponse(200, playlist, "Playlist fetched"));
});

export const userPlaylists = asyncHandler(async (_req, res) => {
  const { params, query } = inputOf(res, schema.userPlaylists);
  const page = await playlists.userPlaylists(
    params.userId,
    res.locals.viewer?.user._id,
    query
  );
  res.json(new ApiResponse(200, page, "Playlists fetched"));
});

export const updatePlaylist = asyncHandler(async (_req, res) => {
  const { body } = inputOf(res, schema.updatePlaylist);
  const playlist = await playlists.updatePlaylist(
    loaded(res, "playlist"),
    toPublicUser(requireViewer(res).user),
    body
  );
  res.json(new ApiResponse(200, playlist, "Playlist updated"));
});

export const deletePlaylist = asyncHandler(async (_req, res) => {
  await playlists.deletePlaylist(loaded(res, "playlist"));
  res.json(new ApiResponse(200, {}, "Playlist deleted"));
});

export const addVideo = asyncHandler(async (_req, res) => {
  const { params } = inputOf(res, schema.addVideoToPlaylist);
  const playlist = await playlists.addVideo(
    loaded(res, "playlist"),
    toPublicUser(requireViewer(res).user),
    params.videoId
  );
  res.json(new ApiResponse(200, playlist, "Video added to playlist"));
});

export const removeVideo = asyncHandler(async (_req, res) => {
  const { params } = inputOf(res, schema.removeVideoFromPlaylist);
  const playlist = await playlists.removeVideo(
    loaded(res, "playlist"),
    toPublicUser(requireViewer(res).user),
    params.videoId
  );
  res.json(new ApiResponse(200, playlist, "Video removed from playlist"));
});
