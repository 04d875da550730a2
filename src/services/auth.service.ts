import bcrypt from "bcrypt";
import { BCRYPT_COST, User, type UserDocument } from "../models/user.model.js";
import { ApiError } from "../utils/ApiError.js";
import type { TokenPair } from "../types/auth.js";
import { revokeOtherSessions, startSession } from "./session.service.js";
import { writeUser } from "./user.service.js";

// Compared against when the account does not exist, so an unknown user takes
// as long as a wrong password and the two cannot be told apart.
const dummyHash = bcrypt.hash("not-a-real-password", BCRYPT_COST);

const invalidCredentials = () => new ApiError(401, "Invalid credentials");

type Credentials = { email?: string; username?: string; password: string };

/** The account a login names (by email, else username), or null. */
export const findAccount = (credentials: Omit<Credentials, "password">) =>
  User.findOne(
    credentials.email !== undefined
      ? { email: credentials.email }
      : { username: credentials.username }
  );

/**
 * Checks the password of `user` (the account findAccount found, read once
 * per login for both the rate limit and this) and starts a session.
 */
export async function login(
  credentials: Credentials,
  user: UserDocument | null,
  userAgent: string
): Promise<TokenPair & { user: UserDocument }> {
  const passwordMatches = user
    ? await user.isPasswordCorrect(credentials.password)
    : await bcrypt
        .compare(credentials.password, await dummyHash)
        .then(() => false);
  if (!user || !passwordMatches) throw invalidCredentials();
  const { accessToken, refreshToken } = await startSession(
    user.id as string,
    userAgent
  );
  return { user, accessToken, refreshToken };
}

export async function changePassword(
  user: UserDocument,
  sessionId: string,
  oldPassword: string,
  newPassword: string
): Promise<void> {
  if (!(await user.isPasswordCorrect(oldPassword))) {
    throw new ApiError(400, "Old password is incorrect", [
      { path: "oldPassword", message: "Incorrect password" },
    ]);
  }
  await writeUser(user.id as string, async () => {
    const current = (await User.findById(user._id)) ?? user;
    current.password = newPassword;
    await current.save();
  });
  await revokeOtherSessions(user.id as string, sessionId);
}
