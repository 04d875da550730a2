import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, logFormatFor } from "../src/utils/logger.js";
import { pngBytes } from "./helpers/media.js";
import {
  startServer,
  stopServer,
  type RunningServer,
} from "./helpers/server-process.js";

/** Log lines written to memory instead of stdout. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe("log format", () => {
  it("is pretty on a terminal outside production and JSON otherwise, unless LOG_FORMAT says", () => {
    const auto = { configured: undefined };
    expect(logFormatFor({ ...auto, isTTY: true, isProduction: false })).toBe(
      "pretty"
    );
    expect(logFormatFor({ ...auto, isTTY: false, isProduction: false })).toBe(
      "json"
    );
    expect(logFormatFor({ ...auto, isTTY: true, isProduction: true })).toBe(
      "json"
    );
    expect(
      logFormatFor({ configured: "json", isTTY: true, isProduction: false })
    ).toBe("json");
    expect(
      logFormatFor({ configured: "pretty", isTTY: false, isProduction: true })
    ).toBe("pretty");
  });
});

describe("redaction in any log call", () => {
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

  it("hides passwords, tokens and credential headers at any depth, in messages and errors", () => {
    const { lines, stream } = capture();
    const log = createLogger("json", stream);
    log.level = "info";
    log.info(
      {
        body: { user: { password: "hunter22", newPassword: "x1" } },
        headers: { Authorization: `Bearer ${jwt}`, Cookie: "a=b" },
        session: { refreshTokenHash: "abc123", accessToken: jwt },
        next: `/watch?token=${jwt}`,
      },
      `refreshed with Bearer ${jwt}`
    );
    log.warn({ err: new Error(`bad token ${jwt}`) }, "failed");
    const text = lines.join("\n");
    for (const secret of [jwt, "hunter22", 'x1"', "abc123", "a=b"])
      expect(text).not.toContain(secret);
    expect(text.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(8);
    // The rest of the line is still there to read.
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      msg: "refreshed with [redacted]",
      next: "/watch?token=[redacted]",
    });
    expect(JSON.parse(lines[1] as string).err.message).toBe(
      "bad token [redacted]"
    );
  });
});

describe("the logs of a whole sign-in flow, as npm start writes them", () => {
  let server: RunningServer;
  const password = "log-flow password 1";
  const newPassword = "log-flow password 2";
  const secrets: string[] = [password, newPassword];
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    server = await startServer({ LOG_LEVEL: "info" });
  });
  afterAll(async () => {
    await stopServer(server);
  });

  const call = (pathname: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1${pathname}`, init);
  const cookiesOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((cookie) => cookie.split(";")[0] as string);

  it("writes JSON lines that never carry a password, a token, a cookie or an authorization header", async () => {
    const form = new FormData();
    form.set("fullName", "Log Flow");
    form.set("email", `log_${tag}@example.com`);
    form.set("username", `log_${tag}`);
    form.set("password", password);
    form.set(
      "avatar",
      new Blob([new Uint8Array(pngBytes())], { type: "image/png" }),
      "a.png"
    );
    expect(
      (await call("/users/register", { method: "POST", body: form })).status
    ).toBe(201);

    const json = (body: unknown, extra: Record<string, string> = {}) => ({
      method: "POST",
      headers: { "Content-Type": "application/json", ...extra },
      body: JSON.stringify(body),
    });
    const wrong = await call(
      "/users/login",
      json({ username: `log_${tag}`, password: `${password}!` })
    );
    expect(wrong.status).toBe(401);
    secrets.push(`${password}!`);

    const login = await call(
      "/users/login",
      json({ username: `log_${tag}`, password })
    );
    expect(login.status).toBe(200);
    const tokens = (
      (await login.json()) as {
        data: { accessToken: string; refreshToken: string };
      }
    ).data;
    const cookies = cookiesOf(login);
    secrets.push(
      tokens.accessToken,
      tokens.refreshToken,
      ...cookies.map((c) => c.split("=")[1] as string)
    );

    const byBearer = await call("/users/current-user", {
      headers: { Authorization: `Bearer ${tokens.accessToken}` },
    });
    const byCookie = await call("/users/current-user", {
      headers: { Cookie: cookies.join("; ") },
    });
    expect([byBearer.status, byCookie.status]).toEqual([200, 200]);
    // A token in a URL, where a careless client puts it.
    await call(`/videos?token=${tokens.accessToken}`);

    const refreshed = await call(
      "/users/refresh-token",
      json({ refreshToken: tokens.refreshToken })
    );
    expect(refreshed.status).toBe(200);
    const next = (
      (await refreshed.json()) as {
        data: { accessToken: string; refreshToken: string };
      }
    ).data;
    secrets.push(next.accessToken, next.refreshToken);
    const byCookieRefresh = await call("/users/refresh-token", {
      method: "POST",
      headers: { Cookie: `refreshToken=${next.refreshToken}` },
    });
    expect(byCookieRefresh.status).toBe(200);
    const last = (
      (await byCookieRefresh.json()) as {
        data: { accessToken: string; refreshToken: string };
      }
    ).data;
    secrets.push(
      last.accessToken,
      last.refreshToken,
      ...cookiesOf(byCookieRefresh).map((c) => c.split("=")[1] as string)
    );

    const bearer = { Authorization: `Bearer ${last.accessToken}` };
    expect(
      (
        await call(
          "/users/change-password",
          json({ oldPassword: password, newPassword }, bearer)
        )
      ).status
    ).toBe(200);
    expect(
      (await call("/users/logout", { method: "POST", headers: bearer })).status
    ).toBe(200);
    // A bad token is logged too, redacted like a good one.
    const forged = `${last.accessToken.slice(0, -4)}AAAA`;
    secrets.push(forged);
    expect(
      (
        await call("/users/current-user", {
          headers: { Authorization: `Bearer ${forged}` },
        })
      ).status
    ).toBe(401);

    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = server.output().split("\n").filter(Boolean);
    const entries = lines.map(
      (line) =>
        JSON.parse(line) as {
          req?: { url: string; headers: Record<string, string> };
        }
    );
    const requests = entries.filter((entry) => entry.req);
    // Every request of the flow was logged, with its headers, redacted.
    expect(requests.length).toBeGreaterThanOrEqual(11);
    expect(
      requests.some(
        (entry) => entry.req?.headers.authorization === "[redacted]"
      )
    ).toBe(true);
    expect(
      requests.some((entry) => entry.req?.headers.cookie === "[redacted]")
    ).toBe(true);
    const output = server.output();
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/Bearer /);
  });
});

describe("pretty logs", () => {
  it("print readable lines, redacted too", async () => {
    const root = path.resolve(import.meta.dirname, "..");
    const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "development",
        LOG_LEVEL: "info",
        LOG_FORMAT: "pretty",
        PORT: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exit = once(child, "exit");
    try {
      await expect
        .poll(() => /port: (\d+)/.exec(output)?.[1], {
          timeout: 20_000,
          message: output,
        })
        .toBeDefined();
      const port = /port: (\d+)/.exec(output)?.[1] as string;
      const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
      await fetch(`http://127.0.0.1:${port}/api/v1/users/current-user`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      await expect.poll(() => output, { timeout: 5_000 }).toMatch(/GET/);
      expect(output).toMatch(/INFO.*VideoTube API listening/);
      expect(output).not.toMatch(/^\{"level"/m);
      expect(output).toContain("[redacted]");
      expect(output).not.toContain(token);
    } finally {
      child.kill("SIGTERM");
      await exit;
    }
  });
});
