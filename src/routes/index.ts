import { Router } from "express";
import commentRouter from "./comment.routes.js";
import healthcheckRouter from "./healthcheck.routes.js";
import likeRouter from "./like.routes.js";
import subscriptionRouter from "./subscription.routes.js";

/** Every area of the contract, under /api/v1. A line per router. */
export const apiRouter = Router();

apiRouter.use("/healthcheck", healthcheckRouter);
apiRouter.use("/subscriptions", subscriptionRouter);
apiRouter.use("/likes", likeRouter);
apiRouter.use("/comments", commentRouter);
