import { Router } from "express";
import * as users from "../controllers/user.controller.js";
import {
  authenticate,
  optionalAuthenticate,
} from "../middlewares/auth.middleware.js";
import { upload } from "../middlewares/multer.middleware.js";
import { loadLoginAccount } from "../middlewares/loginAccount.middleware.js";
import {
  countLoginFailure,
  loginAccountLimit,
  loginIpLimit,
} from "../middlewares/loginLimit.middleware.js";
import {
  authLimit,
  readLimit,
  registrationLimit,
  uploadLimit,
  writeLimit,
} from "../middlewares/rateLimit.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import * as schemas from "../schemas/user.schema.js";

const router = Router();

router.post(
  "/register",
  authLimit,
  registrationLimit,
  upload.fields({ avatar: "image", coverImage: "image" }),
  validate(schemas.register),
  users.registerUser
);

router.post(
  "/login",
  authLimit,
  loginIpLimit,
  validate(schemas.login),
  loadLoginAccount,
  loginAccountLimit,
  users.loginUser,
  countLoginFailure
);
router.post("/logout", authLimit, validate(schemas.logout), users.logoutUser);
router.post(
  "/refresh-token",
  authLimit,
  validate(schemas.refreshToken),
  users.refreshAccessToken
);
router.post(
  "/change-password",
  authenticate,
  writeLimit,
  validate(schemas.changePassword),
  users.changeCurrentPassword
);
router.get(
  "/current-user",
  authenticate,
  readLimit,
  validate(schemas.currentUser),
  users.getCurrentUser
);
router.patch(
  "/update-account",
  authenticate,
  writeLimit,
  validate(schemas.updateAccount),
  users.updateAccountDetails
);
router.get(
  "/c/:username",
  optionalAuthenticate,
  readLimit,
  validate(schemas.channelProfile),
  users.getUserChannelProfile
);

router.get(
  "/history",
  authenticate,
  readLimit,
  validate(schemas.watchHistory),
  users.getWatchHistory
);

router.patch(
  "/avatar",
  authenticate,
  uploadLimit,
  upload.image("avatar"),
  validate(schemas.updateAvatar),
  users.updateUserAvatar
);
router.patch(
  "/cover-image",
  authenticate,
  uploadLimit,
  upload.image("coverImage"),
  validate(schemas.updateCoverImage),
  users.updateUserCoverImage
);

export default router;
