import { Types } from "mongoose";
import {
  Subscription,
  type SubscriptionFields,
} from "../models/subscription.model.js";
import type { Pagination } from "../schemas/common.schema.js";
import {
  toSubscribedChannel,
  toSubscriber,
  type SubscribedChannel,
  type Subscriber,
} from "../presenters/subscription.presenter.js";
import { ApiError } from "../utils/ApiError.js";
import { mapPage, paginate, type Page } from "../utils/paginate.js";
import { countByField, presentIds } from "./counts.service.js";
import { publicUsersById } from "./publicUsers.service.js";
import { toggleRecord } from "./toggle.service.js";

type SubscriptionRow = SubscriptionFields & { _id: Types.ObjectId };

const oid = (id: string) => new Types.ObjectId(id);

/** Subscribes `subscriberId` to `channelId`, or unsubscribes. */
export async function toggleSubscription(
  subscriberId: string,
  channelId: string
): Promise<{ subscribed: boolean }> {
  if (subscriberId === channelId)
    throw new ApiError(400, "You cannot subscribe to your own channel", [
      { path: "channelId", message: "Cannot subscribe to yourself" },
    ]);
  const { exists } = await toggleRecord(Subscription, {
    subscriber: oid(subscriberId),
    channel: oid(channelId),
  });
  return { subscribed: exists };
}

/** Which of `userIds` the viewer subscribes to: one query, none anonymously. */
async function subscribedByViewer(
  userIds: Types.ObjectId[],
  viewerId: string | undefined
): Promise<Set<string>> {
  if (viewerId === undefined) return new Set();
  return presentIds(Subscription, "channel", userIds, {
    subscriber: oid(viewerId),
  });
}

function subscriptionsPage(
  match: Partial<SubscriptionFields>,
  pagination: Pagination
): Promise<Page<SubscriptionRow>> {
  return paginate(Subscription, match, { createdAt: -1 }, pagination);
}

/** A page of the users subscribed to a channel, most recent first. */
export async function channelSubscribers(
  channelId: string,
  pagination: Pagination,
  viewerId?: string
): Promise<Page<Subscriber>> {
  const page = await subscriptionsPage({ channel: oid(channelId) }, pagination);
  const ids = page.docs.map((row) => row.subscriber);
  const [users, followed] = await Promise.all([
    publicUsersById(ids),
    subscribedByViewer(ids, viewerId),
  ]);
  return mapPage(page, (rows) =>
    rows.flatMap((row) => {
      const user = users.get(String(row.subscriber));
      if (!user) return [];
      return [toSubscriber(user, row.createdAt, followed.has(user._id))];
    })
  );
}

/** A page of the channels a user subscribes to, each with its subscribersCount. */
export async function subscribedChannels(
  subscriberId: string,
  pagination: Pagination,
  viewerId?: string
): Promise<Page<SubscribedChannel>> {
  const page = await subscriptionsPage(
    { subscriber: oid(subscriberId) },
    pagination
  );
  const ids = page.docs.map((row) => row.channel);
  const [users, counts, followed] = await Promise.all([
    publicUsersById(ids),
    countByField(Subscription, "channel", ids),
    subscribedByViewer(ids, viewerId),
  ]);
  return mapPage(page, (rows) =>
    rows.flatMap((row) => {
      const user = users.get(String(row.channel));
      if (!user) return [];
      return [
        toSubscribedChannel(
          user,
          row.createdAt,
          followed.has(user._id),
          counts.get(user._id) ?? 0
        ),
      ];
    })
  );
}
