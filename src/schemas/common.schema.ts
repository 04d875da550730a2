import { isValidObjectId } from "mongoose";
import { z } from "zod";
import "./openapi.js";

/**
 * One example id per kind of record, so the document's examples agree with
 * each other: a video's `owner._id` is the user id that `/users/...` shows.
 */
export const EXAMPLE_IDS = {
  user: "6650f3c2a1b2c3d4e5f60701",
  video: "6650f3c2a1b2c3d4e5f60702",
  comment: "6650f3c2a1b2c3d4e5f60703",
  tweet: "6650f3c2a1b2c3d4e5f60704",
  playlist: "6650f3c2a1b2c3d4e5f60705",
} as const;
type RecordKind = keyof typeof EXAMPLE_IDS;

/** The kind a route param or field names: `channelId` and `subscriberId` are users. */
const kindOf = (what: string): RecordKind | undefined => {
  const name = what.replace(/Id$/, "");
  if (name === "channel" || name === "subscriber") return "user";
  return name in EXAMPLE_IDS ? (name as RecordKind) : undefined;
};

/**
 * A 24-hex ObjectId: a bad id is a 400 here, never a CastError 500 later.
 * Lowercased, so code that compares ids as strings cannot be fooled by an
 * upper-case copy of the same id. Not trimmed: the document's pattern
 * refuses an id with spaces around it, so the API does too.
 */
export const objectId = (what = "id") =>
  z
    .string()
    .toLowerCase()
    .refine(
      (value) => /^[0-9a-fA-F]{24}$/.test(value) && isValidObjectId(value),
      {
        message: `Invalid ${what}`,
      }
    )
    .openapi({
      pattern: "^[0-9a-fA-F]{24}$",
      example: EXAMPLE_IDS[kindOf(what) ?? "video"],
    });

/*
 * Fields of answers. Each carries the example that every answer holding it
 * shows: the operation examples are composed from these (openapi.examples.ts).
 */

/** The id of a stored record, as answers give it: 24 lowercase hex. */
export const recordId = (kind: RecordKind) =>
  z.string().openapi({ pattern: "^[0-9a-f]{24}$", example: EXAMPLE_IDS[kind] });

export const dateTime = z
  .string()
  .openapi({ format: "date-time", example: "2026-05-24T09:30:00.000Z" });

/**
 * Where stored media is served: `/uploads/<kind>/<random>.<ext>` from local
 * disk (a Cloudinary URL otherwise); `file` is the example's random name.
 */
export const mediaUrl = (
  kind: "image" | "video",
  file: string,
  description: string
) => z.string().openapi({ description, example: `/uploads/${kind}/${file}` });

/** A number of records (likes, subscribers, videos...). */
export const count = (example: number, description?: string) =>
  z.number().int().min(0).openapi({ example, description });

/** Route params made of ObjectIds, e.g. `idParams("videoId")`. */
export const idParams = <K extends string>(...names: K[]) =>
  z.object(
    Object.fromEntries(names.map((name) => [name, objectId(name)])) as Record<
      K,
      ReturnType<typeof objectId>
    >
  );

// Tab, line feed and carriage return are text; the other C0 controls and DEL
// are not (NUL also makes the database answer an error).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// Half of a UTF-16 pair: JSON can carry one, UTF-8 (and so the database)
// cannot, and would store U+FFFD instead of what was sent.
const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const TEXT_RULE =
  "Any Unicode text is kept exactly as sent (emoji, combining marks, zero-width and right-to-left characters included); control characters other than tab and line breaks (NUL among them) and lone surrogates are refused with 400.";

/**
 * A string that holds text and nothing else: the one rule for every text
 * field and the search, so a value is refused at the door (400) rather than
 * by the database (500) or silently changed on the way in.
 */
export const text = () =>
  z
    .string()
    .refine((value) => !CONTROL_CHARACTER.test(value), {
      message: "Control characters (NUL among them) are not allowed",
    })
    .refine((value) => !LONE_SURROGATE.test(value), {
      message: "Not valid Unicode: a lone surrogate",
    })
    .openapi({ description: TEXT_RULE });

/**
 * Characters as the document's minLength and maxLength count them (JSON
 * Schema counts code points), so an emoji is one character, not two UTF-16
 * units as `.max()` would count it.
 */
export const characterCount = (value: string): number => {
  let characters = 0;
  for (const _character of value) characters += 1;
  return characters;
};

/**
 * A text field whose surrounding whitespace is not kept. The maximum applies
 * to the text as sent, the minimum (1 unless given) to what is left after
 * trimming: the document describes the request, so "at most 280" must refuse
 * every value of 281 characters, padded or not, while a blank value is still
 * refused as empty.
 */
export const trimmedText = ({ max, min = 1 }: { max: number; min?: number }) =>
  text()
    .refine((value) => characterCount(value) <= max, {
      message: `At most ${max} characters`,
    })
    .trim()
    .refine((value) => characterCount(value) >= min, {
      message: min === 1 ? "Required" : `At least ${min} characters`,
    })
    .openapi(min > 0 ? { minLength: min, maxLength: max } : { maxLength: max });

export const MAX_PAGE_SIZE = 100;

/**
 * An integer from a query string, written as one: Number() would also take
 * "0x10", "1e2" or " 1", strings the document's `type: integer` refuses.
 */
const queryInteger = ({ min, max }: { min: number; max: number }) =>
  z.preprocess(
    (value) =>
      typeof value === "string" && /^-?\d+$/.test(value)
        ? Number(value)
        : value,
    z.number().int().min(min).max(max)
  );

export const paginationQuery = z.object({
  page: queryInteger({ min: 1, max: 1_000_000 }).default(1),
  limit: queryInteger({ min: 1, max: MAX_PAGE_SIZE }).default(10),
});

export type Pagination = z.output<typeof paginationQuery>;

/**
 * The mongoose-aggregate-paginate-v2 shape the contract lists return. The
 * examples describe a first and only page holding the one example item.
 */
export const paginated = <T extends z.ZodType>(item: T) =>
  z.object({
    docs: z.array(item),
    totalDocs: count(1),
    limit: z.number().int().openapi({ example: 10 }),
    page: z.number().int().openapi({ example: 1 }),
    totalPages: z.number().int().openapi({ example: 1 }),
    pagingCounter: z.number().int().openapi({ example: 1 }),
    hasPrevPage: z.boolean().openapi({ example: false }),
    hasNextPage: z.boolean().openapi({ example: false }),
    prevPage: z.number().int().nullable().openapi({ example: null }),
    nextPage: z.number().int().nullable().openapi({ example: null }),
  });

export const publicUserSchema = z
  .object({
    _id: recordId("user"),
    username: z.string().openapi({ example: "chai_aur_code" }),
    fullName: z.string().openapi({ example: "Hitesh Choudhary" }),
    avatar: mediaUrl(
      "image",
      "3f9a2c7e5b1d4e8fa0c6b2d9e7f1a345.png",
      "URL of the avatar"
    ),
    coverImage: mediaUrl(
      "image",
      "c81d4e2a9b7f4c3e8d5a6b1f0e2c9d47.jpg",
      "URL of the cover image, or empty"
    ),
  })
  .openapi("PublicUser");

/**
 * The answer of a change that has nothing to show (a sign-out, a delete):
 * an object with no fields, closed so the document says so.
 */
export const emptyData = z.strictObject({}).openapi("Empty", {
  description: "No fields: the message says what was done",
  example: {},
});
