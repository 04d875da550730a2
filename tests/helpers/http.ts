import request from "supertest";
import { app } from "../../src/app.js";

/** A supertest agent on the real app (no network port needed). */
export const api = () => request(app);

export const API = "/api/v1";

/**
 * One signed-in request, so the ones a test then measures find the user's
 * session and account in the auth cache, as every request after a user's
 * first does: query counts compare like with like.
 */
export async function warmAuth(user: { bearer: string }): Promise<void> {
  const response = await api()
    .get(`${API}/users/current-user`)
    .set("Authorization", user.bearer);
  if (response.status !== 200)
    throw new Error(`warming the auth cache answered ${response.status}`);
}

/** A fetch answer in the shape expectErrorEnvelope reads (its body parsed as JSON). */
export async function answerOf(response: Response) {
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: (await response.json()) as unknown,
  };
}

/** Every error answer is the JSON ApiError envelope, never an HTML page. */
export function expectErrorEnvelope(
  response: { status: number; headers: Record<string, string>; body: unknown },
  status: number
) {
  if (response.status !== status) {
    throw new Error(
      `expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`
    );
  }
  const contentType = response.headers["content-type"] ?? "";
  if (!contentType.startsWith("application/json")) {
    throw new Error(`expected a JSON error, got ${contentType}`);
  }
  const body = response.body as Record<string, unknown>;
  if (
    body.statusCode !== status ||
    body.success !== false ||
    body.data !== null ||
    !Array.isArray(body.errors) ||
    typeof body.message !== "string" ||
    "stack" in body
  ) {
    throw new Error(`not an ApiError envelope: ${JSON.stringify(body)}`);
  }
  return body as {
    message: string;
    errors: { path: string; message: string }[];
  };
}
