import { z } from "zod";
import { apiArea } from "./openapi.js";

const endpoint = apiArea("/healthcheck", "Health");

export const healthSchema = z
  .object({
    status: z.enum(["ok", "error"]),
    db: z.enum(["up", "down"]),
    uptime: z.number().openapi({
      description: "Seconds since the process started",
      example: 5321.4,
    }),
  })
  .openapi("Health");

export const healthcheck = endpoint({
  method: "get",
  path: "/",
  summary: "Is the API up, and can it reach its database?",
  description:
    "Answers within a second: 200 when the database answers a ping, 503 with db: down otherwise.",
  // A load balancer's probe must never be refused for asking too often.
  rateLimited: false,
  success: {
    status: 200,
    description: "API and database are up",
    data: healthSchema,
  },
  failures: [
    {
      status: 503,
      description: "Database unavailable",
      data: healthSchema,
      example: { status: "error", db: "down", uptime: 5321.4 },
    },
  ],
});
