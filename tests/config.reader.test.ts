// The notes configured Cloudinary before dotenv had run. With src/config.ts as
// the only reader of the environment (and the loader of .env), no setting can
// be read before .env is loaded.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const src = path.resolve(import.meta.dirname, "../src");

describe("the environment", () => {
  it("is read by src/config.ts alone, which loads .env first", () => {
    const readers = readdirSync(src, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .filter((file) =>
        // A child process may inherit the whole environment (`...process.env`);
        // reading it is what config.ts is for.
        /(?<!\.\.\.)process\.env\b/.test(
          readFileSync(path.join(src, file), "utf8")
        )
      );
    expect(readers).toEqual(["config.ts"]);
    const config = readFileSync(path.join(src, "config.ts"), "utf8");
    expect(config.indexOf("dotenv.config(")).toBeGreaterThan(-1);
    expect(config.indexOf("dotenv.config(")).toBeLessThan(
      config.indexOf("parseConfig(process.env)")
    );
  });
});
