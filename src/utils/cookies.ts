import type { CookieOptions, Response } from "express";
import { config } from "../config.js";
import type { TokenPair } from "../types/auth.js";
import { expiryDate } from "./tokenExpiry.js";

const baseOptions = (): CookieOptions => ({
  httpOnly: true,
  secure: config.cookies.secure,
  sameSite: config.cookies.sameSite,
  path: "/",
});

/** Sets both token cookies, each living as long as its token. */
export function setTokenCookies(res: Response, tokens: TokenPair): void {
  for (const [name, token] of Object.entries(tokens)) {
    res.cookie(name, token, { ...baseOptions(), expires: expiryDate(token) });
  }
}

/** Clears them with the options they were set with, or browsers keep them. */
export function clearTokenCookies(res: Response): void {
  res.clearCookie("accessToken", baseOptions());
  res.clearCookie("refreshToken", baseOptions());
}
