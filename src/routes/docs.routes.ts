import { Router } from "express";
import swaggerUi from "swagger-ui-express";
import { openApiDocument } from "../schemas/openapi.js";

const router = Router();

router.get("/openapi.json", (_req, res) => {
  res.json(openApiDocument());
});
router.use(
  "/",
  swaggerUi.serve,
  swaggerUi.setup(undefined, {
    customSiteTitle: "VideoTube API",
    swaggerOptions: { url: "/api-docs/openapi.json" },
  })
);

export default router;
