import type { PublicUser } from "./user.presenter.js";

/** A user in a subscriber list. */
export interface Subscriber extends PublicUser {
  subscribedAt: Date;
  isSubscribed: boolean;
}

/** A channel in a user's subscriptions. */
export interface SubscribedChannel extends Subscriber {
  subscribersCount: number;
}

export const toSubscriber = (
  user: PublicUser,
  subscribedAt: Date,
  isSubscribed: boolean
): Subscriber => ({ ...user, subscribedAt, isSubscribed });

export const toSubscribedChannel = (
  user: PublicUser,
  subscribedAt: Date,
  isSubscribed: boolean,
  subscribersCount: number
): SubscribedChannel => ({
  ...toSubscriber(user, subscribedAt, isSubscribed),
  subscribersCount,
});
