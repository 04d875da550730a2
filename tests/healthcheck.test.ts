import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import mongoose from "mongoose";
import { describe, expect, inject, it } from "vitest";
import { connectDB } from "../src/db/index.js";
import { startFerretDb } from "../src/db/embedded/ferretdbServer.js";
import { freePort } from "../src/db/embedded/net.js";
import { api, API } from "./helpers/http.js";

describe("GET /healthcheck", () => {
  it("answers 200 with db up and the uptime", async () => {
    const response = await api().get(`${API}/healthcheck`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      statusCode: 200,
      success: true,
      data: { status: "ok", db: "up" },
    });
    expect(typeof response.body.data.uptime).toBe("number");
  });

  it("answers 503 within a second while the database is away, and 200 once it is back, without a restart", async () => {
    // A database server of this test's own, so stopping it disturbs no other file.
    const sqliteDir = await mkdtemp(path.join(tmpdir(), "videotube-health-"));
    const port = await freePort();
    let database = await startFerretDb(sqliteDir, port);
    const sharedUri = inject("mongoUri");
    try {
      await mongoose.disconnect();
      await connectDB(database.uri, "health", 10_000);
      expect((await api().get(`${API}/healthcheck`)).status).toBe(200);

      await database.stop();
      const started = Date.now();
      const down = await api().get(`${API}/healthcheck`);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(down.status).toBe(503);
      expect(down.body.data).toMatchObject({ status: "error", db: "down" });

      database = await startFerretDb(sqliteDir, port);
      let status = 0;
      for (let tries = 0; tries < 100 && status !== 200; tries++) {
        const attemptStarted = Date.now();
        status = (await api().get(`${API}/healthcheck`)).status;
        expect(Date.now() - attemptStarted).toBeLessThan(1_500);
        if (status !== 200) await sleep(200);
      }
      expect(status).toBe(200);
    } finally {
      await mongoose.disconnect();
      await database.stop();
      await rm(sqliteDir, { recursive: true, force: true });
      await connectDB(sharedUri, process.env.DB_NAME, 10_000);
    }
  });
});
