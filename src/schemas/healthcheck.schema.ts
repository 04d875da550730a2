import { z } from "zod";
import { apiArea } from "./openapi.js";

const endpoint = apiArea("/healthcheck", "Health");

export const healthSchema = z
  .object({
    status: z.enum(["ok", "error"]),
    db: z.enum(["up", "down"]),
    uptime: z
      .number()
      .openapi({ description: "Seconds since the process started" }),
  })
  .openapi("Health");

export const healthcheck = endpoint({
  method: "get",
  path: "/",
  summary: "Is the API up, and can it reach its database?",
  description:
    "Answers within a second: 200 when the database answers a ping, 503 with db: down otherwise.",
  success: {
    status: 200,
    description: "API and database are up",
    data: healthSchema,
  },
});
