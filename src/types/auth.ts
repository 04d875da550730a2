import type { UserDocument } from "../models/user.model.js";

/** The two tokens a sign-in or a refresh hands out. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/** Who sent the request: set by authenticate / optionalAuthenticate. */
export interface Viewer {
  user: UserDocument;
  sessionId: string;
}
