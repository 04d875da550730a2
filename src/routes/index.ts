import { Router } from "express";
import commentRouter from "./comment.routes.js";
import dashboardRouter from "./dashboard.routes.js";
import healthcheckRouter from "./healthcheck.routes.js";
import likeRouter from "./like.routes.js";
import playlistRouter from "./playlist.routes.js";
import subscriptionRouter from "./subscription.routes.js";
import tweetRouter from "./tweet.routes.js";
import userRouter from "./user.routes.js";
import videoRouter from "./video.routes.js";

/** Every area of the contract, under /api/v1, in the notes' order. */
export const apiRouter = Router();

apiRouter.use("/healthcheck", healthcheckRouter);
apiRouter.use("/users", userRouter);
apiRouter.use("/videos", videoRouter);
apiRouter.use("/subscriptions", subscriptionRouter);
apiRouter.use("/likes", likeRouter);
apiRouter.use("/comments", commentRouter);
apiRouter.use("/playlist", playlistRouter);
apiRouter.use("/tweets", tweetRouter);
apiRouter.use("/dashboard", dashboardRouter);
