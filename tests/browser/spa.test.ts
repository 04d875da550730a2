/// <reference lib="dom" />
// The page functions run in Chromium: their bodies are typed against the DOM.
import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
} from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { config } from "../../src/config.js";
import { freePort } from "../../src/db/embedded/net.js";
import { SEED_PASSWORD } from "../../scripts/seed/network.js";
import {
  startSpaServer,
  type SpaServer,
} from "../../scripts/demo/spa-server.js";
import { pngBytes } from "../helpers/media.js";
import {
  startServer,
  stopServer,
  type RunningServer,
} from "../helpers/server-process.js";

// The SPA of examples/spa in Debian's Chromium, against a spawned API on
// another origin (its own database on the suite's server), as `npm run demo`
// runs them. Every wait is on a real condition, never a fixed sleep.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const SCREENSHOTS = path.join(root, ".ci/out/screenshots");
const WAIT = 60_000;

let api: RunningServer;
let spa: SpaServer;
let browser: Browser;
let context: BrowserContext;
let apiUrl: string;
const rangeAnswers: { url: string; status: number }[] = [];

const dbEnv = () => ({
  MONGODB_URI: inject("mongoUri"),
  DB_POSTGRESQL_URL: inject("postgresUrl") ?? "",
  DB_NAME: config.db.name,
  UPLOAD_DIR: config.uploads.storageDir,
  UPLOAD_TEMP_DIR: config.uploads.tempDir,
  PUBLIC_URL: apiUrl,
});

beforeAll(async () => {
  // The API's origin is known before it starts: PUBLIC_URL makes the seeded
  // and uploaded media URLs absolute, as the other-origin SPA needs.
  const apiPort = await freePort();
  apiUrl = `http://localhost:${apiPort}`;
  spa = await startSpaServer({ apiUrl });
  // Real H.264 clips (ffmpeg), thumbnails and three users to follow.
  await run(
    process.execPath,
    ["--import", "tsx", "scripts/seed.ts", "--videos", "12"],
    { cwd: root, env: { ...process.env, ...dbEnv(), LOG_LEVEL: "silent" } }
  );
  api = await startServer({
    ...dbEnv(),
    PORT: String(apiPort),
    CORS_ORIGIN: spa.url,
    COOKIE_SAMESITE: "lax",
  });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox"],
  });
  context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(WAIT);
  await mkdir(SCREENSHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await spa?.close();
  await stopServer(api);
});

async function openSpa(hash = "#/"): Promise<Page> {
  const page = await context.newPage();
  page.on("response", (response) => {
    if (response.url().includes("/uploads/seed/video/"))
      rangeAnswers.push({ url: response.url(), status: response.status() });
  });
  await page.goto(`${spa.url}/${hash}`);
  await waitForPage(page, hash);
  return page;
}

/** The SPA marks `body[data-ready]` with the hash it finished rendering. */
const waitForPage = (page: Page, hash: string) =>
  page.waitForFunction(
    (expected) => document.body.dataset.ready === expected,
    hash,
    {
      timeout: WAIT,
    }
  );

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

/** What a credentialed fetch from the page sees (status, or the error's name). */
const fetchFromPage = (
  page: Page,
  url: string,
  mode: "cors" | "no-cors" = "cors"
) =>
  page.evaluate(
    async ({ url, mode }) => {
      try {
        const response = await fetch(url, { credentials: "include", mode });
        return { status: response.status, type: response.type, error: null };
      } catch (error) {
        return { status: 0, type: "error", error: (error as Error).name };
      }
    },
    { url, mode }
  );

describe("the browser SPA against the API on another origin", () => {
  const username = `spa_${Date.now().toString(36)}`;
  const password = "correct horse battery";
  let page: Page;

  it("signs up with an avatar, showing the upload's progress", async () => {
    page = await openSpa("#/signup");
    await page.fill("input[name=fullName]", "Spa Tester");
    await page.fill("input[name=username]", username);
    await page.fill("input[name=email]", `${username}@example.com`);
    await page.fill("input[name=password]", password);
    await page.setInputFiles("input[name=avatar]", {
      name: "me.png",
      mimeType: "image/png",
      buffer: pngBytes(),
    });
    await page.click("#submit");
    await waitForPage(page, `#/signin?registered=${username}`);
    // The last progress event the typed client's XHR upload reported.
    const progress = await page.evaluate(() => {
      const { lastUpload } = (
        window as unknown as {
          videoTube: { lastUpload: { loaded: number; total: number } | null };
        }
      ).videoTube;
      return lastUpload ? [lastUpload.loaded, lastUpload.total] : [0, 0];
    });
    expect(progress[1]).toBeGreaterThan(1);
    expect(progress[0]).toBe(progress[1]);
  });

  it("signs in with httpOnly SameSite cookies that page scripts cannot read", async () => {
    await page.fill("input[name=login]", username);
    await page.fill("input[name=password]", password);
    await page.click("#submit");
    await waitForPage(page, "#/");
    await page.waitForSelector("#me-avatar");
    expect(await page.getAttribute("#me-avatar", "src")).toMatch(
      new RegExp(`^${apiUrl}/uploads/image/`)
    );

    const cookies = await context.cookies(apiUrl);
    const byName = new Map(cookies.map((cookie) => [cookie.name, cookie]));
    for (const name of ["accessToken", "refreshToken"]) {
      expect(byName.get(name)).toMatchObject({
        httpOnly: true,
        sameSite: "Lax",
        secure: false,
      });
    }
    // Cookies are per host, not per port: a readable one would show here.
    expect(await page.evaluate(() => document.cookie)).not.toMatch(/Token/);

    // CORS with credentials: the SPA's origin reads a signed-in answer.
    const me = await fetchFromPage(page, `${apiUrl}/api/v1/users/current-user`);
    expect(me).toEqual({ status: 200, type: "cors", error: null });
  });

  it("browses a grid of thumbnails and searches by title", async () => {
    await page.waitForSelector("#videos .card");
    const titles = await page.$$eval("#videos .card h3", (nodes) =>
      nodes.map((node) => node.textContent ?? "")
    );
    // The seed leaves a few of its videos unpublished: the grid shows the rest.
    expect(titles.length).toBeGreaterThanOrEqual(8);
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>("#videos .thumb img")]
        .slice(0, 8)
        .every((img) => img.complete && img.naturalWidth > 0)
    );
    await shot(page, "home");

    const word = titles[0]!.split(" ")[0]!;
    await page.fill("#search input", word);
    await page.press("#search input", "Enter");
    await waitForPage(page, `#/?query=${encodeURIComponent(word)}`);
    const found = await page.$$eval("#videos .card h3", (nodes) =>
      nodes.map((node) => node.textContent ?? "")
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThan(titles.length);
    for (const title of found)
      expect(title.toLowerCase()).toContain(word.toLowerCase());

    await page.fill("#search input", "no such video anywhere");
    await page.press("#search input", "Enter");
    await page.waitForSelector("#no-results");
  });

  it("plays a video and seeks through HTTP Range answers", async () => {
    await page.goto(`${spa.url}/#/`);
    await waitForPage(page, "#/");
    const videoId = await page.getAttribute("#videos .card", "data-video-id");
    await page.click("#videos .card");
    await waitForPage(page, `#/watch/${videoId}`);

    const duration = await page.evaluate(async () => {
      const video = document.getElementById("player") as HTMLVideoElement;
      video.muted = true;
      await video.play();
      return video.duration;
    });
    expect(duration).toBeGreaterThan(4);
    const target = Math.floor(duration * 0.75);
    const position = await page.evaluate(async (to) => {
      const video = document.getElementById("player") as HTMLVideoElement;
      const seeked = new Promise((done) =>
        video.addEventListener("seeked", done, { once: true })
      );
      video.currentTime = to;
      await seeked;
      return video.currentTime;
    }, target);
    expect(Math.abs(position - target)).toBeLessThan(1);
    // Playback then moves on from the seeked position.
    await page.waitForFunction(
      (to) =>
        (document.getElementById("player") as HTMLVideoElement).currentTime >
        to + 0.2,
      target
    );
    expect(rangeAnswers.some((answer) => answer.status === 206)).toBe(true);
  });

  it("likes, comments and subscribes on the player page", async () => {
    expect(await page.getAttribute("#like", "aria-pressed")).toBe("false");
    await page.click("#like");
    await page.waitForSelector('#like[aria-pressed="true"]');

    const comment = `Lovely clip from ${username}`;
    await page.fill("#comment-form input[name=content]", comment);
    await page.click("#comment-form button");
    await page.waitForSelector(`#comment-list >> text=${comment}`);

    await page.click("#subscribe");
    await page.waitForSelector('#subscribe[aria-pressed="true"]');

    // The server kept all three: a fresh render shows them.
    await page.reload();
    await page.waitForSelector('#like[aria-pressed="true"]');
    await page.waitForSelector('#subscribe[aria-pressed="true"]');
    await page.waitForSelector(`#comment-list >> text=${comment}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, "watch");
  });

  it("shows the dashboard of the signed-in channel", async () => {
    await page.click("#nav-dashboard");
    await waitForPage(page, "#/dashboard");
    const stats = await page.$$eval("#stats .stat", (nodes) =>
      nodes.map((node) => node.textContent)
    );
    expect(stats).toEqual([
      "0videos",
      "0views",
      "0subscribers",
      "0likes",
      "0comments",
    ]);
    await shot(page, "dashboard");
  });

  it("keeps two tabs signed in when both refresh the session at once", async () => {
    const second = await openSpa("#/");
    await second.waitForSelector("#me-avatar");
    const before = (await context.cookies(apiUrl)).find(
      (cookie) => cookie.name === "refreshToken"
    )?.value;
    // Both tabs send the same refresh cookie: one rotates it, the other
    // arrives with the rotated one (the server's REFRESH_GRACE_MS window).
    const at = Date.now() + 500;
    const refreshed = await Promise.all(
      [page, second].map((tab) =>
        tab.evaluate(async (start) => {
          while (Date.now() < start) await new Promise((r) => setTimeout(r, 1));
          return (
            window as unknown as {
              videoTube: { refreshSession(): Promise<boolean> };
            }
          ).videoTube.refreshSession();
        }, at)
      )
    );
    expect(refreshed).toEqual([true, true]);
    const after = (await context.cookies(apiUrl)).find(
      (cookie) => cookie.name === "refreshToken"
    )?.value;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    for (const tab of [page, second]) {
      const me = await fetchFromPage(
        tab,
        `${apiUrl}/api/v1/users/current-user`
      );
      expect(me.status).toBe(200);
    }
    await second.close();
  });

  it("gives a page on an origin outside CORS_ORIGIN no readable answer", async () => {
    const foreign = await context.newPage();
    await foreign.route("http://elsewhere.test/**", (route) =>
      route.fulfill({
        contentType: "text/html",
        body: "<title>elsewhere</title>",
      })
    );
    await foreign.goto("http://elsewhere.test/");
    const url = `${apiUrl}/api/v1/users/current-user`;
    expect(await fetchFromPage(foreign, url)).toEqual({
      status: 0,
      type: "error",
      error: "TypeError",
    });
    // Without CORS the best it gets is an opaque answer (or none, where
    // Chromium's private-network rules refuse the request outright).
    const blind = await fetchFromPage(foreign, url, "no-cors");
    expect(blind.status).toBe(0);
    expect(["opaque", "error"]).toContain(blind.type);
    await foreign.close();
  });

  it("signs out: the cookies go and the API answers 401", async () => {
    await page.click("#sign-out");
    await page.waitForSelector("#nav-signin");
    const names = (await context.cookies(apiUrl)).map((cookie) => cookie.name);
    expect(names).not.toContain("accessToken");
    expect(names).not.toContain("refreshToken");
    const me = await fetchFromPage(page, `${apiUrl}/api/v1/users/current-user`);
    expect(me.status).toBe(401);
  });

  it("signs in as a seeded user with the demo password", async () => {
    // A page of its own: the signed-out page may still be rendering after
    // the sign-out, and a late render would empty a form filled meanwhile.
    const signIn = await openSpa("#/signin");
    await signIn.fill("input[name=login]", "seed_0");
    await signIn.fill("input[name=password]", SEED_PASSWORD);
    await signIn.click("#submit");
    await signIn.waitForFunction(
      () =>
        document.querySelector("#me-avatar") !== null ||
        Boolean(document.querySelector("#form-error")?.textContent)
    );
    expect(
      await signIn.evaluate(
        () => document.querySelector("#form-error")?.textContent ?? ""
      )
    ).toBe("");
    expect(await signIn.$("#me-avatar")).not.toBeNull();
    await signIn.close();
  });
});
