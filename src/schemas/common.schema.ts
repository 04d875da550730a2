import { isValidObjectId } from "mongoose";
import { z } from "zod";
import "./openapi.js";

/**
 * A 24-hex ObjectId: a bad id is a 400 here, never a CastError 500 later.
 * Lowercased, so code that compares ids as strings cannot be fooled by an
 * upper-case copy of the same id.
 */
export const objectId = (what = "id") =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine(
      (value) => /^[0-9a-fA-F]{24}$/.test(value) && isValidObjectId(value),
      {
        message: `Invalid ${what}`,
      }
    )
    .openapi({
      pattern: "^[0-9a-fA-F]{24}$",
      example: "6650f3c2a1b2c3d4e5f60718",
    });

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

export const MAX_PAGE_SIZE = 100;

export const paginationQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(10),
});

export type Pagination = z.output<typeof paginationQuery>;

/** The mongoose-aggregate-paginate-v2 shape the contract lists return. */
export const paginated = <T extends z.ZodType>(item: T) =>
  z.object({
    docs: z.array(item),
    totalDocs: z.number().int(),
    limit: z.number().int(),
    page: z.number().int(),
    totalPages: z.number().int(),
    pagingCounter: z.number().int(),
    hasPrevPage: z.boolean(),
    hasNextPage: z.boolean(),
    prevPage: z.number().int().nullable(),
    nextPage: z.number().int().nullable(),
  });

export const publicUserSchema = z
  .object({
    _id: z.string(),
    username: z.string(),
    fullName: z.string(),
    avatar: z.string().openapi({ description: "URL of the avatar" }),
    coverImage: z
      .string()
      .openapi({ description: "URL of the cover image, or empty" }),
  })
  .openapi("PublicUser");

export const emptyData = z.object({}).openapi("Empty");
