import request from "supertest";

/** The routes whose answer is the caller's own user, email included. */
const OWN_USER =
  /\/users\/(register|login|current-user|update-account|avatar|cover-image)$/;
const SECRET_KEY =
  /^(password|passwordHash|refreshTokenHash|tokenHash|stack)$/i;
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$/;
const SHA256_HEX = /^[a-f0-9]{64}$/i;
const STACK_FRAME = /\n\s+at .+:\d+:\d+\)?/;
const PASSWORD_FIELDS = ["password", "oldPassword", "newPassword"];

/** Where in an answer's body something sits, e.g. `data.owner.email`. */
function* entries(
  value: unknown,
  at = ""
): Generator<[path: string, key: string, value: unknown]> {
  if (!value || typeof value !== "object") return;
  for (const [key, item] of Object.entries(value)) {
    const path = at ? `${at}.${key}` : key;
    yield [path, key, item];
    yield* entries(item, path);
  }
}

interface Exchange {
  url: string;
  sent: unknown;
  status: number;
  body: unknown;
  text: string | undefined;
}

/** What an answer must never hold, whatever the test expects of it. */
export function answerProblems({ url, sent, body, text }: Exchange): string[] {
  const problems: string[] = [];
  const pathname = new URL(url, "http://x").pathname;
  const ownUser = OWN_USER.test(pathname);
  // The API document names the fields; it holds no one's data.
  const data = pathname.startsWith("/api-docs") ? undefined : body;
  for (const [path, key, value] of entries(data)) {
    if (SECRET_KEY.test(key)) problems.push(`a "${key}" field at ${path}`);
    if (key === "email" && !(ownUser && /^data(\.user)?\.email$/.test(path)))
      problems.push(`an email at ${path}, not the caller's own user`);
    if (typeof value === "string" && BCRYPT_HASH.test(value))
      problems.push(`a bcrypt hash at ${path}`);
    if (typeof value === "string" && SHA256_HEX.test(value))
      problems.push(`a SHA-256 hash (a stored token?) at ${path}`);
    if (typeof value === "string" && STACK_FRAME.test(value))
      problems.push(`a stack trace at ${path}`);
  }
  if (text !== undefined && STACK_FRAME.test(text))
    problems.push("a stack trace");
  if (sent && typeof sent === "object") {
    const answer = text ?? JSON.stringify(body);
    for (const field of PASSWORD_FIELDS) {
      const password = (sent as Record<string, unknown>)[field];
      if (
        typeof password === "string" &&
        password.length >= 8 &&
        answer.includes(password)
      )
        problems.push(`the ${field} that was sent`);
    }
  }
  return problems;
}

interface AssertingTest {
  url: string;
  _data?: unknown;
  assert(
    error: unknown,
    response: { status: number; body: unknown; text?: string } | undefined,
    done?: (error: unknown, response: unknown) => void
  ): void;
}

/**
 * Makes every supertest answer of the test file pass `answerProblems`: the
 * request fails, naming what leaked, whatever the test itself checks.
 */
export function checkEveryAnswer(): void {
  const prototype = request.Test.prototype as unknown as AssertingTest;
  const assert = prototype.assert;
  prototype.assert = function (this: AssertingTest, error, response, done) {
    const problems = response
      ? answerProblems({
          url: this.url,
          sent: this._data,
          status: response.status,
          body: response.body,
          text: typeof response.text === "string" ? response.text : undefined,
        })
      : [];
    if (problems.length > 0) {
      done?.(
        new Error(
          `${this.url} answered ${response?.status} with ${problems.join(", ")}`
        ),
        response
      );
      return;
    }
    assert.call(this, error, response, done);
  };
}
