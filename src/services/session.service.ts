import { Types } from "mongoose";
import { config } from "../config.js";
import type { TokenPair } from "../types/auth.js";
import { RotatedToken } from "../models/rotatedToken.model.js";
import { Session } from "../models/session.model.js";
import { deleteWhereIn, isDuplicateKeyError } from "../db/engine/index.js";
import { ApiError } from "../utils/ApiError.js";
import { expiryDate } from "../utils/tokenExpiry.js";
import { hashToken, signToken, verifyToken } from "./token.service.js";
import { forgetSessions } from "./viewer.service.js";

function tokensFor(userId: string, sessionId: string) {
  const refreshToken = signToken("refresh", userId, sessionId);
  return {
    accessToken: signToken("access", userId, sessionId),
    refreshToken,
    refreshTokenHash: hashToken(refreshToken),
    expiresAt: expiryDate(refreshToken),
  };
}

/** A new session (one device) for the user, with its first pair of tokens. */
export async function startSession(
  userId: string,
  userAgent = ""
): Promise<TokenPair & { sessionId: string }> {
  const sessionId = new Types.ObjectId().toString();
  const tokens = await createSession(userId, sessionId, sessionId, userAgent);
  return { ...tokens, sessionId };
}

async function createSession(
  userId: string,
  sessionId: string,
  family: string,
  userAgent: string
): Promise<TokenPair> {
  const { accessToken, refreshToken, refreshTokenHash, expiresAt } = tokensFor(
    userId,
    sessionId
  );
  // Expired sessions go by the session-expiry job, not here: a login is
  // one user read and this one write.
  await Session.create({
    _id: sessionId,
    user: userId,
    family,
    refreshTokenHash,
    expiresAt,
    lastUsedAt: new Date(),
    userAgent: userAgent.slice(0, 512),
  });
  return { accessToken, refreshToken };
}

const invalidRefresh = () =>
  new ApiError(401, "Invalid or expired refresh token");

type SessionDoc = {
  _id: Types.ObjectId;
  user: Types.ObjectId;
  family?: Types.ObjectId;
  expiresAt: Date;
  userAgent?: string;
};

// Sessions created before families existed are a family of their own.
const familyOf = (session: SessionDoc) => String(session.family ?? session._id);

/**
 * Trades a refresh token for a new pair. The first refresh with a token
 * rotates its session. Another one within REFRESH_GRACE_MS of that (a second
 * tab, a retried request) gets a sibling session in the same family rather
 * than a sign-out. After the window the token was copied: its family (every
 * session descended from that sign-in) is revoked, the user's other devices
 * stay signed in.
 */
export async function rotateSession(refreshToken: string): Promise<TokenPair> {
  const claims = verifyToken("refresh", refreshToken);
  if (!claims || !Types.ObjectId.isValid(claims.sid)) throw invalidRefresh();
  // By `_id` alone, the one look-up every engine serves from an index; the
  // owner is checked in code.
  const session = await Session.findById(claims.sid);
  if (
    !session ||
    String(session.user) !== claims.sub ||
    session.expiresAt <= new Date()
  )
    throw invalidRefresh();

  const presentedHash = hashToken(refreshToken);
  if (
    session.refreshTokenHash === presentedHash &&
    (await markRotated(presentedHash, session))
  ) {
    const next = tokensFor(claims.sub, claims.sid);
    await Session.updateOne(
      { _id: claims.sid },
      {
        $set: {
          refreshTokenHash: next.refreshTokenHash,
          expiresAt: next.expiresAt,
          lastUsedAt: new Date(),
        },
      }
    );
    return { accessToken: next.accessToken, refreshToken: next.refreshToken };
  }
  // Rotated already, by a request a moment ago or long ago.
  const rotated = await RotatedToken.findOne({ tokenHash: presentedHash });
  if (
    rotated &&
    String(rotated.session) === claims.sid &&
    Date.now() - rotated.rotatedAt.getTime() <= config.auth.refreshGraceMs
  ) {
    return createSession(
      claims.sub,
      new Types.ObjectId().toString(),
      familyOf(session),
      session.userAgent
    );
  }
  await revokeFamily(session);
  throw new ApiError(
    401,
    "Refresh token reuse detected: the sessions of that sign-in were signed out"
  );
}

/**
 * Records that a token was traded in. False when it already was: the unique
 * hash lets only one of two concurrent refreshes with one token rotate.
 */
async function markRotated(
  tokenHash: string,
  session: SessionDoc
): Promise<boolean> {
  try {
    await RotatedToken.create({
      tokenHash,
      session: session._id,
      user: session.user,
      family: familyOf(session),
      rotatedAt: new Date(),
      expiresAt: session.expiresAt,
    });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

const oid = (id: string) => new Types.ObjectId(id);

async function revokeFamily(session: SessionDoc): Promise<void> {
  const family = familyOf(session);
  const members = (await Session.find({ family }, { _id: 1 }).lean()).map((s) =>
    String(s._id)
  );
  const ids = [...new Set([...members, String(session._id)])];
  forgetSessions(ids);
  await deleteWhereIn(Session, "_id", ids.map(oid), {});
  await deleteWhereIn(RotatedToken, "session", ids.map(oid), {});
}

export async function revokeSession(sessionId: string): Promise<void> {
  forgetSessions([sessionId]);
  await Session.deleteOne({ _id: sessionId });
  await RotatedToken.deleteMany({ session: sessionId });
}

export async function revokeOtherSessions(
  userId: string,
  keepSessionId: string
): Promise<void> {
  const others = { user: userId, _id: { $ne: keepSessionId } };
  const otherIds = (await Session.find(others, { _id: 1 }).lean()).map(
    (s) => s._id
  );
  forgetSessions(otherIds.map(String));
  await Session.deleteMany(others);
  await deleteWhereIn(RotatedToken, "session", otherIds, {});
}
