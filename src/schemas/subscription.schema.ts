import { z } from "zod";
import {
  count,
  dateTime,
  idParams,
  paginated,
  paginationQuery,
  publicUserSchema,
} from "./common.schema.js";
import { apiArea } from "./openapi.js";

const endpoint = apiArea("/subscriptions", "Subscriptions");

export const subscriptionStateSchema = z
  .object({ subscribed: z.boolean().openapi({ example: true }) })
  .openapi("SubscriptionState");

export const subscriberSchema = publicUserSchema
  .extend({
    subscribedAt: dateTime,
    isSubscribed: z.boolean().openapi({
      description:
        "Whether the viewer subscribes to this user (false anonymously)",
      example: false,
    }),
  })
  .openapi("Subscriber");

export const subscribedChannelSchema = publicUserSchema
  .extend({
    subscribedAt: dateTime,
    subscribersCount: count(3400),
    isSubscribed: z.boolean().openapi({
      description:
        "Whether the viewer subscribes to this channel (false anonymously)",
      example: true,
    }),
  })
  .openapi("SubscribedChannel");

export const toggleSubscription = endpoint({
  method: "post",
  path: "/c/:channelId",
  summary: "Subscribe to a channel, or unsubscribe when already subscribed",
  description:
    "Race-safe: one subscription per (subscriber, channel) pair, whatever the number of concurrent toggles.",
  auth: "required",
  request: { params: idParams("channelId") },
  success: {
    status: 200,
    description: "The subscription state after the toggle",
    data: subscriptionStateSchema,
  },
  errors: [404],
});

export const listChannelSubscribers = endpoint({
  method: "get",
  path: "/c/:channelId",
  summary: "The subscribers of a channel, most recent first",
  auth: "optional",
  request: { params: idParams("channelId"), query: paginationQuery },
  success: {
    status: 200,
    description: "A page of subscribers",
    data: paginated(subscriberSchema),
  },
  errors: [404],
});

export const listSubscribedChannels = endpoint({
  method: "get",
  path: "/u/:subscriberId",
  summary: "The channels a user subscribes to, most recent first",
  auth: "optional",
  request: { params: idParams("subscriberId"), query: paginationQuery },
  success: {
    status: 200,
    description: "A page of channels, each with its subscribersCount",
    data: paginated(subscribedChannelSchema),
  },
  errors: [404],
});
