import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// This file checks the default layout, with the temp folder inside public/.
vi.hoisted(() => {
  delete process.env.UPLOAD_TEMP_DIR;
});

const { config } = await import("../src/config.js");
const { api, expectErrorEnvelope } = await import("./helpers/http.js");

const probeName = `probe-${randomBytes(6).toString("hex")}.txt`;
const publicProbe = `public-${probeName}`;

describe("static files from public/", () => {
  beforeAll(() => {
    mkdirSync(config.uploads.tempDir, { recursive: true });
    writeFileSync(path.join(config.uploads.tempDir, probeName), "temp upload");
    writeFileSync(
      path.join(config.uploads.publicDir, publicProbe),
      "public file"
    );
  });
  afterAll(() => {
    rmSync(path.join(config.uploads.tempDir, probeName), { force: true });
    rmSync(path.join(config.uploads.publicDir, publicProbe), { force: true });
  });

  it("uses public/temp as the default temp folder", () => {
    expect(config.uploads.tempDir).toBe(
      path.join(config.uploads.publicDir, "temp")
    );
  });

  it("serves other files in public/", async () => {
    const response = await api().get(`/${publicProbe}`);
    expect(response.status).toBe(200);
    expect(response.text).toBe("public file");
  });

  it.each([
    `/temp/${probeName}`,
    `/temp/./${probeName}`,
    `//temp/${probeName}`,
    `/./temp/${probeName}`,
    `/%74emp/${probeName}`,
    `/TEMP/${probeName}`,
    `/x/../temp/${probeName}`,
    `/temp/`,
    `/temp`,
    `/temp/.gitkeep`,
  ])("never serves the temp folder: GET %s is 404", async (url) => {
    expectErrorEnvelope(await api().get(url), 404);
  });
});
