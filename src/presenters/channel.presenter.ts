import type { PublicUser } from "./user.presenter.js";

/** A channel page: its owner's public face and its subscription counts. */
export interface ChannelProfile extends PublicUser {
  subscribersCount: number;
  channelsSubscribedToCount: number;
  isSubscribed: boolean;
}

export const toChannelProfile = (
  owner: PublicUser,
  counts: Omit<ChannelProfile, keyof PublicUser>
): ChannelProfile => ({ ...owner, ...counts });
