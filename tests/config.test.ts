import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.js";

const strongSecret = "s".repeat(32);

describe("configuration", () => {
  it("stops production start-up when a token secret is missing, naming it", () => {
    expect(() =>
      parseConfig({
        NODE_ENV: "production",
        REFRESH_TOKEN_SECRET: strongSecret,
      })
    ).toThrow(/ACCESS_TOKEN_SECRET is not set/);
  });

  it("stops production start-up when a token secret is weaker than 32 bytes", () => {
    expect(() =>
      parseConfig({
        NODE_ENV: "production",
        ACCESS_TOKEN_SECRET: strongSecret,
        REFRESH_TOKEN_SECRET: "short",
      })
    ).toThrow(/REFRESH_TOKEN_SECRET is too short/);
  });

  it("generates random secrets in development, with a warning", () => {
    const first = parseConfig({ NODE_ENV: "development" });
    const second = parseConfig({ NODE_ENV: "development" });
    expect(first.warnings).toHaveLength(2);
    expect(first.warnings[0]).toMatch(/ACCESS_TOKEN_SECRET/);
    expect(
      first.auth.accessTokenKey
        .export()
        .equals(second.auth.accessTokenKey.export())
    ).toBe(false);
    expect(
      first.auth.accessTokenKey
        .export()
        .equals(first.auth.refreshTokenKey.export())
    ).toBe(false);
  });

  it("keeps strong secrets as key objects, without warnings", () => {
    const config = parseConfig({
      NODE_ENV: "production",
      ACCESS_TOKEN_SECRET: strongSecret,
      REFRESH_TOKEN_SECRET: "r".repeat(40),
    });
    expect(config.warnings).toEqual([]);
    expect(config.auth.accessTokenKey.export().toString()).toBe(strongSecret);
    expect(config.cookies.secure).toBe(true);
  });

  it("refuses CORS_ORIGIN=* because credentials are allowed", () => {
    expect(() => parseConfig({ CORS_ORIGIN: "*" })).toThrow(ConfigError);
    expect(() => parseConfig({ CORS_ORIGIN: "https://a.example,*" })).toThrow(
      /credentials/
    );
  });

  it("reads CORS_ORIGIN as a comma-separated allow-list", () => {
    const config = parseConfig({
      CORS_ORIGIN: " https://a.example/ , http://localhost:5173",
    });
    expect(config.cors.origins).toEqual([
      "https://a.example",
      "http://localhost:5173",
    ]);
  });

  it("names the variable of an invalid value", () => {
    expect(() => parseConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseConfig({ DB_NAME: "bad name!" })).toThrow(/DB_NAME/);
    expect(() => parseConfig({ COOKIE_SAMESITE: "loose" })).toThrow(
      /COOKIE_SAMESITE/
    );
  });

  it("takes a refresh grace window of 0 to 60000 ms, 5000 when unset", () => {
    expect(parseConfig({}).auth.refreshGraceMs).toBe(5_000);
    expect(parseConfig({ REFRESH_GRACE_MS: "0" }).auth.refreshGraceMs).toBe(0);
    for (const bad of ["-1", "60001", "soon"])
      expect(() => parseConfig({ REFRESH_GRACE_MS: bad })).toThrow(
        /REFRESH_GRACE_MS/
      );
  });

  it("keeps Node's HTTP timeouts when unset, and refuses headers allowed longer than the whole request", () => {
    expect(parseConfig({}).http).toEqual({
      requestTimeoutMs: 300_000,
      headersTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
    });
    expect(() =>
      parseConfig({ REQUEST_TIMEOUT_MS: "1000", HEADERS_TIMEOUT_MS: "2000" })
    ).toThrow(/HEADERS_TIMEOUT_MS must not be longer than REQUEST_TIMEOUT_MS/);
  });

  it("forces secure cookies with SameSite=None", () => {
    expect(parseConfig({ COOKIE_SAMESITE: "none" }).cookies.secure).toBe(true);
    expect(parseConfig({}).cookies).toEqual({ sameSite: "lax", secure: false });
  });

  it("wants all three Cloudinary variables or none", () => {
    expect(() => parseConfig({ CLOUDINARY_CLOUD_NAME: "demo" })).toThrow(
      /go together/
    );
    expect(parseConfig({}).cloudinary).toBeUndefined();
  });

  it("makes local media URLs absolute with PUBLIC_URL, relative without", () => {
    expect(
      parseConfig({ PUBLIC_URL: "https://api.example.com/" }).uploads.publicUrl
    ).toBe("https://api.example.com");
    expect(parseConfig({}).uploads.publicUrl).toBe("");
    expect(() => parseConfig({ PUBLIC_URL: "api.example.com" })).toThrow(
      /PUBLIC_URL/
    );
  });

  it("keeps resumable uploads in the temp folder for a day, ten per user, unless told otherwise", () => {
    const { tempDir, resumable } = parseConfig({}).uploads;
    expect(resumable).toEqual({
      dir: path.join(tempDir, "resumable"),
      expiryMs: 24 * 60 * 60 * 1000,
      sweepIntervalMs: 10 * 60 * 1000,
      perUser: 10,
    });
    const set = parseConfig({
      RESUMABLE_UPLOAD_DIR: "/srv/videotube/tus",
      RESUMABLE_UPLOAD_EXPIRY_MS: "3600000",
      RESUMABLE_UPLOADS_PER_USER: "3",
    }).uploads.resumable;
    expect(set).toMatchObject({
      dir: "/srv/videotube/tus",
      expiryMs: 3_600_000,
      perUser: 3,
    });
    expect(() => parseConfig({ RESUMABLE_UPLOADS_PER_USER: "0" })).toThrow(
      /RESUMABLE_UPLOADS_PER_USER/
    );
    // Never where the static files are served.
    for (const dir of ["public/tus", "public/uploads/tus"])
      expect(() => parseConfig({ RESUMABLE_UPLOAD_DIR: dir })).toThrow(
        /would be served/
      );
    expect(() => parseConfig({ RESUMABLE_UPLOAD_DIR: "public/temp/" })).toThrow(
      /of its own/
    );
  });
});
