import { Router } from "express";
import healthcheckRouter from "./healthcheck.routes.js";
import userRouter from "./user.routes.js";
import videoRouter from "./video.routes.js";

/** Every area of the contract, under /api/v1. A line per router. */
export const apiRouter = Router();

apiRouter.use("/healthcheck", healthcheckRouter);
apiRouter.use("/users", userRouter);
apiRouter.use("/videos", videoRouter);
