import type { RequestHandler, Response } from "express";
import type { UserDocument } from "../models/user.model.js";
import { login } from "../schemas/user.schema.js";
import { findAccount } from "../services/auth.service.js";
import { inputOf } from "./validate.middleware.js";

interface LoginAccount {
  /** The account the login names, or null when none has that name. */
  user: UserDocument | null;
  /** The email or username given (already normalised by the schema). */
  name: string;
}

declare module "express-serve-static-core" {
  interface Locals {
    /** Set by loadLoginAccount: read once for the rate limit and the login. */
    loginAccount?: LoginAccount;
  }
}

/** Loads the account a validated login names, once per login. */
export const loadLoginAccount: RequestHandler = async (_req, res, next) => {
  const { body } = inputOf(res, login);
  res.locals.loginAccount = {
    user: await findAccount(body),
    name: body.email ?? body.username ?? "",
  };
  next();
};

export function loginAccountOf(res: Response): LoginAccount {
  const account = res.locals.loginAccount;
  if (!account) throw new Error("loadLoginAccount must run before this");
  return account;
}
