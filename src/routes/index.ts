import { Router } from "express";
import dashboardRouter from "./dashboard.routes.js";
import healthcheckRouter from "./healthcheck.routes.js";
import playlistRouter from "./playlist.routes.js";
import tweetRouter from "./tweet.routes.js";
import userRouter from "./user.routes.js";
import videoRouter from "./video.routes.js";

/** Every area of the contract, under /api/v1. A line per router. */
export const apiRouter = Router();

apiRouter.use("/healthcheck", healthcheckRouter);
apiRouter.use("/users", userRouter);
apiRouter.use("/videos", videoRouter);
apiRouter.use("/playlist", playlistRouter);
apiRouter.use("/tweets", tweetRouter);
apiRouter.use("/dashboard", dashboardRouter);
