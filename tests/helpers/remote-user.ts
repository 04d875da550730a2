import { DEFAULT_PASSWORD, type TestUser } from "./factories.js";

/**
 * Signs a factory user in on a server process (its token secrets are its
 * own, so the factory's tokens do not work there) and returns the
 * `Authorization` header value.
 */
export async function signInOn(
  baseUrl: string,
  { user }: TestUser
): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/users/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: user.email, password: DEFAULT_PASSWORD }),
  });
  if (response.status !== 200)
    throw new Error(`login answered ${response.status}`);
  const { data } = (await response.json()) as { data: { accessToken: string } };
  return `Bearer ${data.accessToken}`;
}
