import type { Request } from "express";
import {
  authenticateRequest,
  requireViewer,
  unauthorized,
} from "../middlewares/auth.middleware.js";
import {
  requiredFile,
  uploadedFile,
} from "../middlewares/multer.middleware.js";
import { loginAccountOf } from "../middlewares/loginAccount.middleware.js";
import { inputOf } from "../middlewares/validate.middleware.js";
import * as schemas from "../schemas/user.schema.js";
import * as auth from "../services/auth.service.js";
import { revokeSession, rotateSession } from "../services/session.service.js";
import { verifyToken } from "../services/token.service.js";
import * as users from "../services/user.service.js";
import { toOwnUser } from "../presenters/user.presenter.js";
import { ApiError } from "../utils/ApiError.js";
import { ApiResponse } from "../utils/ApiResponse.js";
import { asyncHandler } from "../utils/asyncHandler.js";
import { clearTokenCookies, setTokenCookies } from "../utils/cookies.js";

export const registerUser = asyncHandler(async (req, res) => {
  const { body } = inputOf(res, schemas.register);
  const user = await users.register(body, {
    avatar: requiredFile(req, "avatar"),
    coverImage: uploadedFile(req, "coverImage"),
  });
  res
    .status(201)
    .json(new ApiResponse(201, toOwnUser(user), "User registered"));
});

export const updateUserAvatar = asyncHandler(async (req, res) => {
  const user = await users.replaceImage(
    requireViewer(res).user,
    "avatar",
    requiredFile(req, "avatar")
  );
  res.json(new ApiResponse(200, toOwnUser(user), "Avatar updated"));
});

export const updateUserCoverImage = asyncHandler(async (req, res) => {
  const user = await users.replaceImage(
    requireViewer(res).user,
    "coverImage",
    requiredFile(req, "coverImage")
  );
  res.json(new ApiResponse(200, toOwnUser(user), "Cover image updated"));
});

/** The refresh token cookie (cookie-parser turns `j:` cookies into objects: only a string is a token). */
function refreshTokenOf(req: Request): string | undefined {
  const cookie: unknown = req.cookies?.refreshToken;
  return typeof cookie === "string" && cookie !== "" ? cookie : undefined;
}

const userAgentOf = (req: Request) => req.get("user-agent") ?? "";

export const loginUser = asyncHandler(async (req, res) => {
  const { body } = inputOf(res, schemas.login);
  const { user, accessToken, refreshToken } = await auth.login(
    body,
    loginAccountOf(res).user,
    userAgentOf(req)
  );
  setTokenCookies(res, { accessToken, refreshToken });
  res.json(
    new ApiResponse(
      200,
      { user: toOwnUser(user), accessToken, refreshToken },
      "Signed in"
    )
  );
});

export const logoutUser = asyncHandler(async (req, res) => {
  const { body } = inputOf(res, schemas.logout);
  const outcome = await authenticateRequest(req);
  const refreshClaims = verifyToken(
    "refresh",
    refreshTokenOf(req) ?? body.refreshToken ?? ""
  );
  const sessionId =
    "viewer" in outcome ? outcome.viewer.sessionId : refreshClaims?.sid;
  clearTokenCookies(res);
  if (sessionId === undefined) {
    throw unauthorized("viewer" in outcome ? "missing" : outcome.problem);
  }
  await revokeSession(sessionId);
  res.json(new ApiResponse(200, {}, "Signed out"));
});

export const refreshAccessToken = asyncHandler(async (req, res) => {
  const { body } = inputOf(res, schemas.refreshToken);
  const presented = refreshTokenOf(req) ?? body.refreshToken;
  if (presented === undefined)
    throw new ApiError(401, "Refresh token required");
  try {
    const tokens = await rotateSession(presented);
    setTokenCookies(res, tokens);
    res.json(new ApiResponse(200, tokens, "Tokens refreshed"));
  } catch (error) {
    if (error instanceof ApiError && error.statusCode === 401)
      clearTokenCookies(res);
    throw error;
  }
});

export const changeCurrentPassword = asyncHandler(async (_req, res) => {
  const { body } = inputOf(res, schemas.changePassword);
  const { user, sessionId } = requireViewer(res);
  await auth.changePassword(
    user,
    sessionId,
    body.oldPassword,
    body.newPassword
  );
  res.json(
    new ApiResponse(200, {}, "Password changed; other sessions were signed out")
  );
});

export const getCurrentUser = asyncHandler(async (_req, res) => {
  res.json(
    new ApiResponse(200, toOwnUser(requireViewer(res).user), "Current user")
  );
});

export const updateAccountDetails = asyncHandler(async (_req, res) => {
  const { body } = inputOf(res, schemas.updateAccount);
  const user = await users.updateAccount(requireViewer(res).user, body);
  res.json(new ApiResponse(200, toOwnUser(user), "Account updated"));
});

export const getUserChannelProfile = asyncHandler(async (_req, res) => {
  const { params } = inputOf(res, schemas.channelProfile);
  const channel = await users.channelProfile(
    params.username,
    res.locals.viewer?.user.id as string | undefined
  );
  res.json(new ApiResponse(200, channel, "Channel"));
});

export const getWatchHistory = asyncHandler(async (_req, res) => {
  const { query } = inputOf(res, schemas.watchHistory);
  const page = await users.watchHistory(
    requireViewer(res).user.id as string,
    query
  );
  res.json(new ApiResponse(200, page, "Watch history"));
});
