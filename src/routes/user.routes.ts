import { Router } from "express";
import * as users from "../controllers/user.controller.js";
import {
  authenticate,
  optionalAuthenticate,
} from "../middlewares/auth.middleware.js";
import { upload } from "../middlewares/multer.middleware.js";
import { loadLoginAccount } from "../middlewares/loginAccount.middleware.js";
import {
  loginAccountLimit,
  loginIpLimit,
  registrationLimit,
} from "../middlewares/rateLimit.middleware.js";
import { validate } from "../middlewares/validate.middleware.js";
import * as schemas from "../schemas/user.schema.js";

const router = Router();

router.post(
  "/register",
  registrationLimit,
  upload.fields({ avatar: "image", coverImage: "image" }),
  validate(schemas.register),
  users.registerUser
);

router.post(
  "/login",
  loginIpLimit,
  validate(schemas.login),
  loadLoginAccount,
  loginAccountLimit,
  users.loginUser
);
router.post("/logout", validate(schemas.logout), users.logoutUser);
router.post(
  "/refresh-token",
  validate(schemas.refreshToken),
  users.refreshAccessToken
);
router.post(
  "/change-password",
  authenticate,
  validate(schemas.changePassword),
  users.changeCurrentPassword
);
router.get(
  "/current-user",
  authenticate,
  validate(schemas.currentUser),
  users.getCurrentUser
);
router.patch(
  "/update-account",
  authenticate,
  validate(schemas.updateAccount),
  users.updateAccountDetails
);
router.get(
  "/c/:username",
  optionalAuthenticate,
  validate(schemas.channelProfile),
  users.getUserChannelProfile
);

router.get(
  "/history",
  authenticate,
  validate(schemas.watchHistory),
  users.getWatchHistory
);

router.patch(
  "/avatar",
  authenticate,
  upload.image("avatar"),
  validate(schemas.updateAvatar),
  users.updateUserAvatar
);
router.patch(
  "/cover-image",
  authenticate,
  upload.image("coverImage"),
  validate(schemas.updateCoverImage),
  users.updateUserCoverImage
);

export default router;
