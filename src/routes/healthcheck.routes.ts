import { Router } from "express";
import { healthcheck } from "../controllers/healthcheck.controller.js";
import { validate } from "../middlewares/validate.middleware.js";
import { healthcheck as healthcheckSchema } from "../schemas/healthcheck.schema.js";

const router = Router();

router.get("/", validate(healthcheckSchema), healthcheck);

export default router;
