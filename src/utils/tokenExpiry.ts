import jwt from "jsonwebtoken";

/** When a signed token runs out (its `exp` claim). */
export function expiryDate(token: string): Date {
  const decoded = jwt.decode(token) as { exp?: number } | null;
  return new Date((decoded?.exp ?? 0) * 1000);
}
