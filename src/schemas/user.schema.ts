import { z } from "zod";
import {
  characterCount,
  count,
  dateTime,
  emptyData,
  paginated,
  paginationQuery,
  publicUserSchema,
  text,
  trimmedText,
} from "./common.schema.js";
import { apiArea } from "./openapi.js";
import { videoFields } from "./videoSummary.schema.js";

const endpoint = apiArea("/users", "Users");

// Both are checked as sent, then lowercased: neither trimmed (the document's
// pattern and format refuse surrounding spaces), nor lowercased first, which
// would let "\u212a" (the Kelvin sign) pass as a "k".
export const username = z
  .string()
  // Any letter case as sent, stored lowercase.
  .regex(/^[A-Za-z0-9._-]{3,30}$/, "3 to 30 of a-z 0-9 . _ -")
  .toLowerCase()
  .openapi({ example: "chai_aur_code" });

export const email = z
  .string()
  .max(254)
  .pipe(z.email("Invalid email").toLowerCase())
  .openapi({ example: "hitesh@example.com", format: "email" });

export const fullName = trimmedText({ max: 100 }).openapi({
  example: "Hitesh Choudhary",
});

/**
 * At least 8 characters as the document counts them. bcrypt ignores bytes
 * after the 72nd, so longer passwords are refused, not truncated: a limit in
 * bytes that the document's maxLength (in characters) can only approach.
 */
export const password = text()
  .refine((value) => characterCount(value) >= 8, "At least 8 characters")
  .refine(
    (value) => Buffer.byteLength(value) <= 72,
    "At most 72 bytes (bcrypt's limit)"
  )
  .openapi({ minLength: 8, maxLength: 72, example: "correct horse battery" });

export const ownUserSchema = publicUserSchema
  .extend({
    email: z.string().openapi({ example: "hitesh@example.com" }),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .openapi("OwnUser");

// Shortened JWTs: realistic in shape, never a token that would work.
const EXAMPLE_ACCESS_TOKEN =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI2NjUwZjNjMmExYjJjM2Q0ZTVmNjA3MDEiLCJ0eXBlIjoiYWNjZXNzIn0.c2lnbmF0dXJl";
const EXAMPLE_REFRESH_TOKEN =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI2NjUwZjNjMmExYjJjM2Q0ZTVmNjA3MDEiLCJ0eXBlIjoicmVmcmVzaCJ9.c2lnbmF0dXJl";

const tokensSchema = z.object({
  accessToken: z.string().openapi({ example: EXAMPLE_ACCESS_TOKEN }),
  refreshToken: z.string().openapi({ example: EXAMPLE_REFRESH_TOKEN }),
});

/** A refresh token a body may carry instead of the cookie. */
const refreshTokenBody = z.object({
  refreshToken: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .openapi({ example: EXAMPLE_REFRESH_TOKEN }),
});

export const register = endpoint({
  method: "post",
  path: "/register",
  summary: "Create an account",
  description:
    "Multipart form. `fullname` (the course's spelling) is accepted for `fullName`. Usernames and emails are unique in any letter case. Rate limited per IP.",
  bodyType: "multipart",
  files: {
    avatar: { required: true, description: "PNG, JPEG, WebP or GIF" },
    coverImage: { required: false, description: "PNG, JPEG, WebP or GIF" },
  },
  request: {
    body: z
      .object({
        fullName: fullName.optional(),
        fullname: fullName.optional(),
        email,
        username,
        password,
      })
      // A refine (not only the transform) so a missing name is reported
      // beside the other fields' errors: zod skips transforms once any fails.
      .refine(
        (body) => body.fullName !== undefined || body.fullname !== undefined,
        { message: "Required", path: ["fullName"] }
      )
      .transform(({ fullname, fullName = fullname, ...fields }) => ({
        ...fields,
        fullName: fullName as string,
      })),
  },
  success: {
    status: 201,
    description: "The new user, with email",
    data: ownUserSchema,
  },
  errors: [409, 429],
});

export const login = endpoint({
  method: "post",
  path: "/login",
  summary: "Sign in with email or username",
  description:
    "Sets the `accessToken` and `refreshToken` cookies and returns both tokens for Bearer use. An unknown user and a wrong password get the same 401. Failed attempts are rate limited per account and per IP.",
  request: {
    body: z
      .object({
        email: email.optional(),
        username: username.optional(),
        // Not the registration rule: any string may be tried, and fail.
        password: text()
          .min(1, "Required")
          .max(1024)
          .openapi({ example: "correct horse battery" }),
      })
      .refine(
        (body) => body.email !== undefined || body.username !== undefined,
        {
          message: "Give email or username",
          path: ["email"],
        }
      ),
  },
  // One way in, not both: the generated example would send email and username.
  requestExample: {
    username: "chai_aur_code",
    password: "correct horse battery",
  },
  success: {
    status: 200,
    description: "Signed in",
    data: tokensSchema.extend({ user: ownUserSchema }),
  },
  errors: [401, 429],
});

export const logout = endpoint({
  method: "post",
  path: "/logout",
  summary: "Sign out this session",
  description:
    "Ends the session of the access token; once that has expired, the session of the refresh token (cookie or body) instead, so a browser can always sign out. Both cookies are cleared either way.",
  // The refresh token alone is enough, so no access token is required.
  auth: "optional",
  request: {
    body: refreshTokenBody,
  },
  success: {
    status: 200,
    description: "Cookies cleared, session revoked",
    data: emptyData,
  },
});

export const refreshToken = endpoint({
  method: "post",
  path: "/refresh-token",
  summary: "Trade a refresh token for a new pair",
  description:
    "The refresh token comes from the `refreshToken` cookie or the body. A token is rotated on first use; used again within `REFRESH_GRACE_MS` (two tabs at once) it yields a successor session, after that it counts as reuse: every session descended from that sign-in is signed out (401), the user's other devices stay signed in.",
  request: {
    body: refreshTokenBody,
  },
  success: {
    status: 200,
    description: "A new pair, also set as cookies",
    data: tokensSchema,
  },
  errors: [401],
});

export const changePassword = endpoint({
  method: "post",
  path: "/change-password",
  summary: "Change the password; other sessions are signed out",
  auth: "required",
  request: {
    body: z.object({
      oldPassword: text()
        .min(1, "Required")
        .max(1024)
        .openapi({ example: "correct horse battery" }),
      newPassword: password.openapi({ example: "staple battery horse" }),
    }),
  },
  success: { status: 200, description: "Password changed", data: emptyData },
});

export const currentUser = endpoint({
  method: "get",
  path: "/current-user",
  summary: "The signed-in user, with email",
  auth: "required",
  success: { status: 200, description: "The user", data: ownUserSchema },
});

export const updateAccount = endpoint({
  method: "patch",
  path: "/update-account",
  summary: "Change full name and/or email",
  description: "`fullname` (the course's spelling) is accepted for `fullName`.",
  auth: "required",
  request: {
    body: z
      .object({
        fullName: fullName.optional(),
        fullname: fullName.optional(),
        email: email.optional(),
      })
      .refine(
        (body) =>
          body.fullName !== undefined ||
          body.fullname !== undefined ||
          body.email !== undefined,
        {
          message: "Give fullName or email",
          path: ["fullName"],
        }
      )
      // What the refine means, for clients and fuzzers that read the document.
      .openapi({ minProperties: 1 })
      .transform(({ fullname, fullName = fullname, ...fields }) => ({
        ...fields,
        fullName,
      })),
  },
  // The canonical spelling only: the generated example would send both.
  requestExample: { fullName: "Hitesh Choudhary" },
  success: {
    status: 200,
    description: "The updated user",
    data: ownUserSchema,
  },
  errors: [409],
});

export const updateAvatar = endpoint({
  method: "patch",
  path: "/avatar",
  summary: "Replace the avatar; the old file is deleted from storage",
  auth: "required",
  bodyType: "multipart",
  files: { avatar: { required: true, description: "PNG, JPEG, WebP or GIF" } },
  success: {
    status: 200,
    description: "The updated user",
    data: ownUserSchema,
  },
});

export const updateCoverImage = endpoint({
  method: "patch",
  path: "/cover-image",
  summary: "Replace the cover image; the old file is deleted from storage",
  auth: "required",
  bodyType: "multipart",
  files: {
    coverImage: { required: true, description: "PNG, JPEG, WebP or GIF" },
  },
  success: {
    status: 200,
    description: "The updated user",
    data: ownUserSchema,
  },
});

export const channelSchema = publicUserSchema
  .extend({
    subscribersCount: count(3400),
    channelsSubscribedToCount: count(12),
    isSubscribed: z.boolean().openapi({ example: true }),
  })
  .openapi("Channel");

export const channelProfile = endpoint({
  method: "get",
  path: "/c/:username",
  summary: "A channel's public profile",
  description:
    "`isSubscribed` is true only for a signed-in viewer who subscribes. No email.",
  auth: "optional",
  request: { params: z.object({ username }) },
  success: { status: 200, description: "The channel", data: channelSchema },
  errors: [404],
});

const historyVideoSchema = z
  .object({ ...videoFields, owner: publicUserSchema })
  .openapi("HistoryVideo");

export const watchHistory = endpoint({
  method: "get",
  path: "/history",
  summary: "The signed-in user's watch history, most recent first",
  description: "Each video once, with its owner; the last 500 videos are kept.",
  auth: "required",
  request: { query: paginationQuery },
  success: {
    status: 200,
    description: "A page of videos",
    data: paginated(historyVideoSchema),
  },
});
