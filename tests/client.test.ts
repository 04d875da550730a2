import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createVideoTubeClient,
  VideoTubeApiError,
  type VideoTubeClient,
} from "../client/index.js";
import { app } from "../src/app.js";
import { mp4Bytes, pngBytes } from "./helpers/media.js";

// The typed client against a real listening server (its fetch, its streamed
// uploads), not supertest's in-process calls.
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = app.listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const pngFile = (name: string) =>
  new File([new Uint8Array(pngBytes())], name, { type: "image/png" });

/** Every (loaded, total) the upload reported. */
const progressLog = () => {
  const events: [number, number][] = [];
  return {
    events,
    onProgress: (loaded: number, total: number) => events.push([loaded, total]),
  };
};

const expectReachedTotal = (events: [number, number][]) => {
  expect(events.length).toBeGreaterThan(0);
  const [loaded, total] = events.at(-1)!;
  expect(total).toBeGreaterThan(0);
  expect(loaded).toBe(total);
  for (let i = 1; i < events.length; i++)
    expect(events[i]![0]).toBeGreaterThanOrEqual(events[i - 1]![0]);
};

async function apiError(pending: Promise<unknown>): Promise<VideoTubeApiError> {
  const error = await pending.then(
    () => undefined,
    (reason: unknown) => reason
  );
  expect(error).toBeInstanceOf(VideoTubeApiError);
  return error as VideoTubeApiError;
}

describe("the typed client against a running API", () => {
  let client: VideoTubeClient;
  const username = `client_${Date.now().toString(36)}`;
  const password = "correct horse battery";

  beforeAll(() => {
    client = createVideoTubeClient({ baseUrl });
  });

  it("registers with an avatar through the upload helper, reporting progress up to the total", async () => {
    const progress = progressLog();
    const user = await client.upload("post", "/api/v1/users/register", {
      fields: {
        fullName: "Client Tester",
        email: `${username}@example.com`,
        username,
        password,
        avatar: pngFile("me.png"),
      },
      onProgress: progress.onProgress,
    });
    expect(user.username).toBe(username);
    expect(user.email).toBe(`${username}@example.com`);
    expect(user.avatar).toMatch(/^\/uploads\/image\/.+\.png$/);
    expectReachedTotal(progress.events);
  });

  it("answers a taken username with a typed 409 VideoTubeApiError", async () => {
    const error = await apiError(
      client.upload("post", "/api/v1/users/register", {
        fields: {
          fullName: "Copy",
          email: `other_${username}@example.com`,
          username,
          password,
          avatar: pngFile("copy.png"),
        },
      })
    );
    expect(error.statusCode).toBe(409);
    expect(error.message).toMatch(/username/i);
  });

  it("answers a bad login with a 401 and a bad body with a 400 listing the fields", async () => {
    const wrong = await apiError(
      client.unwrap(
        client.api.POST("/api/v1/users/login", {
          body: { username, password: "not the password" },
        })
      )
    );
    expect(wrong.statusCode).toBe(401);

    const invalid = await apiError(
      client.unwrap(
        client.api.POST("/api/v1/users/login", {
          body: { username: "x", password: "" },
        })
      )
    );
    expect(invalid.statusCode).toBe(400);
    expect(invalid.errors.map((e) => e.path)).toContain("password");
  });

  it("signs in, publishes, watches, likes and signs out with Bearer tokens", async () => {
    const session = await client.unwrap(
      client.api.POST("/api/v1/users/login", { body: { username, password } })
    );
    client.setAccessToken(session.accessToken);

    // Big enough that the streamed body comes in several chunks.
    const progress = progressLog();
    const video = await client.upload("post", "/api/v1/videos", {
      fields: {
        title: "Made by the typed client",
        description: "Uploaded with progress",
        videoFile: new File(
          [new Uint8Array(mp4Bytes(4, 512 * 1024))],
          "clip.mp4",
          {
            type: "video/mp4",
          }
        ),
        thumbnail: pngFile("thumb.png"),
      },
      onProgress: progress.onProgress,
    });
    expect(video.title).toBe("Made by the typed client");
    expect(video.duration).toBeCloseTo(4, 0);
    expectReachedTotal(progress.events);
    expect(progress.events.length).toBeGreaterThan(1);

    const watched = await client.unwrap(
      client.api.GET("/api/v1/videos/{videoId}", {
        params: { path: { videoId: video._id } },
      })
    );
    expect(watched._id).toBe(video._id);
    expect(watched.isLiked).toBe(false);

    const liked = await client.unwrap(
      client.api.POST("/api/v1/likes/toggle/v/{videoId}", {
        params: { path: { videoId: video._id } },
      })
    );
    expect(liked).toEqual({ liked: true, likesCount: 1 });

    const found = await client.unwrap(
      client.api.GET("/api/v1/videos", {
        params: { query: { query: "typed client" } },
      })
    );
    expect(found.docs.map((doc) => doc._id)).toContain(video._id);

    const me = await client.unwrap(
      client.api.GET("/api/v1/users/current-user")
    );
    expect(me.username).toBe(username);

    await client.unwrap(client.api.POST("/api/v1/users/logout", { body: {} }));
    // The access token is still a valid JWT, but its session is gone.
    const after = await apiError(
      client.unwrap(client.api.GET("/api/v1/users/current-user"))
    );
    expect(after.statusCode).toBe(401);
  });

  it("fills a path parameter of an upload, and refuses one that is missing", async () => {
    const anonymous = createVideoTubeClient({ baseUrl });
    await expect(
      anonymous.upload("patch", "/api/v1/videos/{videoId}", {
        fields: { title: "x" },
      })
    ).rejects.toThrow(/missing path parameter videoId/);
    const error = await apiError(
      anonymous.upload("patch", "/api/v1/videos/{videoId}", {
        fields: { title: "x" },
        path: { videoId: "not-an-id" },
      })
    );
    expect(error.statusCode).toBe(401);
    expect(error.message).toBe("Authentication required");
  });
});
