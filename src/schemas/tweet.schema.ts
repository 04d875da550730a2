import { z } from "zod";
import {
  count,
  dateTime,
  emptyData,
  idParams,
  paginated,
  paginationQuery,
  publicUserSchema,
  recordId,
  trimmedText,
} from "./common.schema.js";
import { apiArea } from "./openapi.js";

const endpoint = apiArea("/tweets", "Tweets");

const EXAMPLE_CONTENT = "New video on closures is up, link in the channel!";

const content = trimmedText({ max: 280 }).openapi({ example: EXAMPLE_CONTENT });

export const tweetSchema = z
  .object({
    _id: recordId("tweet"),
    content: z.string().openapi({ example: EXAMPLE_CONTENT }),
    owner: publicUserSchema,
    likesCount: count(18),
    isLiked: z.boolean().openapi({
      description: "Whether the viewer likes it (false when anonymous)",
      example: false,
    }),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .openapi("Tweet");

const tweetParams = idParams("tweetId");

export const createTweet = endpoint({
  method: "post",
  path: "/",
  summary: "Post a tweet",
  auth: "required",
  request: { body: z.object({ content }) },
  success: { status: 201, description: "Posted", data: tweetSchema },
});

export const userTweets = endpoint({
  method: "get",
  path: "/user/:userId",
  summary: "A user's tweets, newest first",
  auth: "optional",
  request: { params: idParams("userId"), query: paginationQuery },
  success: {
    status: 200,
    description: "A page of tweets",
    data: paginated(tweetSchema),
  },
  errors: [404],
});

export const updateTweet = endpoint({
  method: "patch",
  path: "/:tweetId",
  summary: "Edit a tweet",
  auth: "required",
  request: { params: tweetParams, body: z.object({ content }) },
  success: { status: 200, description: "Edited", data: tweetSchema },
  errors: [403, 404],
});

export const deleteTweet = endpoint({
  method: "delete",
  path: "/:tweetId",
  summary: "Delete a tweet and its likes",
  auth: "required",
  request: { params: tweetParams },
  success: { status: 200, description: "Deleted", data: emptyData },
  errors: [403, 404],
});
