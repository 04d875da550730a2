import { describe, expect, it } from "vitest";
import { createUser, createVideo } from "./helpers/factories.js";
import { verifyToken } from "../src/services/token.service.js";

describe("test factories", () => {
  it("make a signed-in user whose access token verifies", async () => {
    const alice = await createUser();
    expect(verifyToken("access", alice.accessToken)).toMatchObject({
      sub: alice.id,
      type: "access",
    });
    expect(verifyToken("refresh", alice.accessToken)).toBeUndefined();
  });

  it("make a video with an explicit creation date", async () => {
    const alice = await createUser();
    const createdAt = new Date("2024-01-02T03:04:05Z");
    const video = await createVideo(alice, { createdAt, isPublished: false });
    expect(video.createdAt.toISOString()).toBe(createdAt.toISOString());
    expect(video.isPublished).toBe(false);
  });
});
