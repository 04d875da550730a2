import type { Response } from "express";
import { requireViewer } from "../middlewares/auth.middleware.js";
import { inputOf } from "../middlewares/validate.middleware.js";
import {
  listChannelSubscribers,
  listSubscribedChannels,
  toggleSubscription,
} from "../schemas/subscription.schema.js";
import * as subscriptions from "../services/subscription.service.js";
import { ApiResponse } from "../utils/ApiResponse.js";
import { asyncHandler } from "../utils/asyncHandler.js";

const viewerIdOf = (res: Response) =>
  res.locals.viewer?.user.id as string | undefined;

export const toggleSubscriptionController = asyncHandler(async (_req, res) => {
  const { params } = inputOf(res, toggleSubscription);
  const state = await subscriptions.toggleSubscription(
    requireViewer(res).user.id as string,
    params.channelId
  );
  res
    .status(200)
    .json(
      new ApiResponse(
        200,
        state,
        state.subscribed ? "Subscribed" : "Unsubscribed"
      )
    );
});

export const channelSubscribersController = asyncHandler(async (_req, res) => {
  const { params, query } = inputOf(res, listChannelSubscribers);
  const page = await subscriptions.channelSubscribers(
    params.channelId,
    query,
    viewerIdOf(res)
  );
  res.status(200).json(new ApiResponse(200, page, "Subscribers fetched"));
});

export const subscribedChannelsController = asyncHandler(async (_req, res) => {
  const { params, query } = inputOf(res, listSubscribedChannels);
  const page = await subscriptions.subscribedChannels(
    params.subscriberId,
    query,
    viewerIdOf(res)
  );
  res
    .status(200)
    .json(new ApiResponse(200, page, "Subscribed channels fetched"));
});
