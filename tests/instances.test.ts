import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  callApi,
  expectCall,
  sharedSecrets,
  startInstances,
  type Instances,
} from "./helpers/instances.js";
import type { TestUser } from "./helpers/factories.js";
import { pngBytes } from "./helpers/media-bytes.js";
import { avatarForm } from "./helpers/traffic.js";

// Before anything imports src: the factories sign tokens with these too.
Object.assign(process.env, sharedSecrets());

const AUTH_CACHE_TTL_MS = 600;
const WATCH_FLUSH_INTERVAL_MS = 100;
const REFRESH_GRACE_MS = 1_500;
const UPLOADS_LIMIT = 4;
// Scheduling slack on a loaded CI machine, beyond the bound itself.
const MARGIN_MS = 1_500;

const { createUser, createUsers, createVideo } =
  await import("./helpers/factories.js");
const { Like } = await import("../src/models/like.model.js");
const { Playlist } = await import("../src/models/playlist.model.js");
const { Subscription } = await import("../src/models/subscription.model.js");
const { User } = await import("../src/models/user.model.js");
const { Video } = await import("../src/models/video.model.js");
const { View } = await import("../src/models/view.model.js");
const { startSession } = await import("../src/services/session.service.js");
const { engineName } = await import("../src/db/engine/index.js");

let instances: Instances;
// Request i goes to one instance, request i + 1 to the other.
const on = (i: number) => instances.servers[i % 2] as Instances["servers"][0];

beforeAll(async () => {
  instances = await startInstances(
    {
      AUTH_CACHE_TTL_MS: String(AUTH_CACHE_TTL_MS),
      WATCH_FLUSH_INTERVAL_MS: String(WATCH_FLUSH_INTERVAL_MS),
      REFRESH_GRACE_MS: String(REFRESH_GRACE_MS),
      RATE_LIMIT_UPLOADS: String(UPLOADS_LIMIT),
    },
    { withRedis: true }
  );
});

afterAll(async () => {
  await instances?.stop();
});

/**
 * Each user toggles (index % 3) + 1 times in a row, switching instance at
 * every toggle, all users at once: 1 and 3 toggles end "on", 2 end "off".
 */
async function toggleThroughBoth<T>(
  users: TestUser[],
  path: string,
  isOn: (state: T) => boolean
): Promise<{ finalStates: boolean[]; expectedOn: number }> {
  const finalStates = await Promise.all(
    users.map(async (user, index) => {
      let state = false;
      for (let turn = 0; turn <= index % 3; turn++) {
        state = isOn(
          await expectCall<T>(200, on(index + turn), "POST", path, {
            bearer: user.accessToken,
          })
        );
      }
      return state;
    })
  );
  const expectedOn = users.filter((_user, index) => index % 3 !== 1).length;
  return { finalStates, expectedOn };
}

describe("two instances on one database and one Redis", () => {
  it("counts every like once when users like and unlike one video through both instances at once", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const likers = await createUsers(50);

    const { finalStates, expectedOn } = await toggleThroughBoth<{
      liked: boolean;
    }>(likers, `/likes/toggle/v/${video.id}`, (state) => state.liked);

    expect(finalStates.filter(Boolean)).toHaveLength(expectedOn);
    expect(
      await Like.countDocuments({ targetType: "video", target: video._id })
    ).toBe(expectedOn);
    expect((await Video.findById(video._id).lean())?.likesCount).toBe(
      expectedOn
    );
    for (const server of instances.servers) {
      const watched = await expectCall<{ likesCount: number }>(
        200,
        server,
        "GET",
        `/videos/${video.id}`
      );
      expect(watched.likesCount).toBe(expectedOn);
    }
  });

  it("keeps one subscription per pair and the right counts when subscriptions are toggled through both instances at once", async () => {
    const channel = await createUser();
    const subscribers = await createUsers(12);
    const doubleClicker = await createUser();
    const path = `/subscriptions/c/${channel.id}`;

    const [{ finalStates, expectedOn }, doubleAnswers] = await Promise.all([
      toggleThroughBoth<{ subscribed: boolean }>(
        subscribers,
        path,
        (state) => state.subscribed
      ),
      // One viewer's two clicks landing on both instances at the same moment.
      Promise.all(
        instances.servers.map((server) =>
          expectCall<{ subscribed: boolean }>(200, server, "POST", path, {
            bearer: doubleClicker.accessToken,
          })
        )
      ),
    ]);

    expect(finalStates.filter(Boolean)).toHaveLength(expectedOn);
    const doubleRecords = await Subscription.countDocuments({
      channel: channel.id,
      subscriber: doubleClicker.id,
    });
    expect(doubleRecords).toBeLessThanOrEqual(1);
    // Either the clicks took turns (on, off) or both subscribed at once.
    expect(doubleAnswers.some((answer) => answer.subscribed)).toBe(true);
    expect(doubleRecords === 1).toBe(
      doubleAnswers.every((answer) => answer.subscribed)
    );
    const records = await Subscription.find({ channel: channel.id }).lean();
    const pairs = new Set(records.map((record) => String(record.subscriber)));
    expect(pairs.size).toBe(records.length);
    expect(records).toHaveLength(expectedOn + doubleRecords);
    for (const server of instances.servers) {
      const profile = await expectCall<{ subscribersCount: number }>(
        200,
        server,
        "GET",
        `/users/c/${channel.user.username}`
      );
      expect(profile.subscribersCount).toBe(expectedOn + doubleRecords);
    }
  });

  it("loses no playlist entry when videos are added, removed and the playlist renamed through both instances at once", async () => {
    const owner = await createUser();
    const videos = await Promise.all(
      Array.from({ length: 24 }, () => createVideo(owner))
    );
    const first = videos.slice(0, 16);
    const later = videos.slice(16);
    const playlist = await expectCall<{ _id: string }>(
      201,
      on(0),
      "POST",
      "/playlist",
      { bearer: owner.accessToken, body: { name: "Before", description: "" } }
    );
    const edit = (index: number, path: string, body?: unknown) =>
      expectCall(200, on(index), "PATCH", path, {
        bearer: owner.accessToken,
        body,
      });

    await Promise.all(
      first.map((video, index) =>
        edit(index, `/playlist/add/${video.id}/${playlist._id}`)
      )
    );
    const afterAdds = await Playlist.findById(playlist._id).lean();
    expect(afterAdds?.videos.map(String).sort()).toEqual(
      first.map((video) => video.id as string).sort()
    );

    const removed = first.slice(0, 8);
    const kept = first.slice(8);
    await Promise.all([
      ...removed.map((video, index) =>
        edit(index, `/playlist/remove/${video.id}/${playlist._id}`)
      ),
      ...later.map((video, index) =>
        edit(index + 1, `/playlist/add/${video.id}/${playlist._id}`)
      ),
      // Adding one it already holds, on both instances: still one entry.
      ...instances.servers.map((_server, index) =>
        edit(index, `/playlist/add/${kept[0]?.id}/${playlist._id}`)
      ),
      edit(1, `/playlist/${playlist._id}`, { name: "After" }),
    ]);

    const final = await Playlist.findById(playlist._id).lean();
    expect(final?.name).toBe("After");
    expect(final?.videos.map(String).sort()).toEqual(
      [...kept, ...later].map((video) => video.id as string).sort()
    );
  });

  it("flips a video's publish state once per toggle when its owner toggles it on both instances at once", async () => {
    const owner = await createUser();
    const videos = await Promise.all(
      Array.from({ length: 6 }, () => createVideo(owner, { isPublished: true }))
    );
    const togglesEach = 4;

    const answers = await Promise.all(
      videos.map((video) =>
        Promise.all(
          Array.from({ length: togglesEach }, (_unused, index) =>
            expectCall<{ isPublished: boolean }>(
              200,
              on(index),
              "PATCH",
              `/videos/toggle/publish/${video.id}`,
              { bearer: owner.accessToken }
            )
          )
        )
      )
    );

    for (const [index, video] of videos.entries()) {
      // Taking turns, two of the four toggles unpublish and two publish again.
      const states = answers[index]?.map((answer) => answer.isPublished);
      expect(states?.filter(Boolean)).toHaveLength(togglesEach / 2);
      expect((await Video.findById(video._id).lean())?.isPublished).toBe(true);
    }
  });

  it("takes a Redis lock for each write of one document only on an engine whose updates of it may interleave", async () => {
    const owner = await createUser();
    const video = await createVideo(owner, { isPublished: true });
    const redis = createClient({ url: instances.redis?.url });
    await redis.connect();
    try {
      await redis.sendCommand(["CONFIG", "RESETSTAT"]);
      await expectCall(200, on(0), "POST", `/likes/toggle/v/${video.id}`, {
        bearer: owner.accessToken,
      });
      await expectCall(
        200,
        on(1),
        "PATCH",
        `/videos/toggle/publish/${video.id}`,
        { bearer: owner.accessToken }
      );
      await expectCall(200, on(0), "PATCH", "/users/update-account", {
        bearer: owner.accessToken,
        body: { fullName: "Locked Or Not" },
      });
      const stats = String(await redis.sendCommand(["INFO", "commandstats"]));
      // Each lock is released by a token-checked EVAL; the rate limits
      // run their scripts by EVALSHA.
      const lockReleases = Number(
        /cmdstat_eval:calls=(\d+)/.exec(stats)?.[1] ?? 0
      );
      if (engineName() === "ferretdb")
        expect(lockReleases).toBeGreaterThanOrEqual(3);
      else expect(lockReleases).toBe(0);
    } finally {
      await redis.quit();
    }
  });

  it("serves an avatar uploaded through one instance from the other, and the file it replaced is gone from both", async () => {
    const user = await createUser();
    const upload = (index: number) =>
      expectCall<{ avatar: string }>(200, on(index), "PATCH", "/users/avatar", {
        bearer: user.accessToken,
        body: avatarForm(),
      });
    const fetchFrom = (index: number, url: string) =>
      fetch(`${on(index).url}${url}`);

    const first = await upload(0);
    const served = await fetchFrom(1, first.avatar);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(pngBytes());

    const second = await upload(1);
    expect(second.avatar).not.toBe(first.avatar);
    for (const index of [0, 1]) {
      expect((await fetchFrom(index, first.avatar)).status).toBe(404);
      expect((await fetchFrom(index, second.avatar)).status).toBe(200);
    }
  });

  it("counts each viewer's views once when they watch through both instances, after the flush interval", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const viewers = await createUsers(10);

    await Promise.all(
      viewers.flatMap((viewer, index) =>
        [0, 1, 2, 3].map((turn) =>
          expectCall(200, on(index + turn), "GET", `/videos/${video.id}`, {
            bearer: viewer.accessToken,
          })
        )
      )
    );

    await vi.waitFor(
      async () => {
        expect(await View.countDocuments({ video: video._id })).toBe(
          viewers.length
        );
        expect((await Video.findById(video._id).lean())?.views).toBe(
          viewers.length
        );
      },
      { timeout: WATCH_FLUSH_INTERVAL_MS * 10 + MARGIN_MS, interval: 50 }
    );
    for (const server of instances.servers) {
      const watched = await expectCall<{ views: number }>(
        200,
        server,
        "GET",
        `/videos/${video.id}`
      );
      expect(watched.views).toBe(viewers.length);
    }
  });

  it("shows a video watched through one instance in the viewer's history on the other within WATCH_FLUSH_INTERVAL_MS", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const viewer = await createUser();

    await expectCall(200, on(0), "GET", `/videos/${video.id}`, {
      bearer: viewer.accessToken,
    });
    const watchedAt = Date.now();
    await vi.waitFor(
      async () => {
        const history = await expectCall<{ docs: { _id: string }[] }>(
          200,
          on(1),
          "GET",
          "/users/history",
          { bearer: viewer.accessToken }
        );
        expect(history.docs.map((entry) => entry._id)).toEqual([video.id]);
      },
      { timeout: WATCH_FLUSH_INTERVAL_MS + MARGIN_MS, interval: 25 }
    );
    expect(Date.now() - watchedAt).toBeLessThanOrEqual(
      WATCH_FLUSH_INTERVAL_MS + MARGIN_MS
    );
  });

  it("refreshes one token on both instances at once, then ends that sign-in's family when it is reused on the other after the grace window", async () => {
    const user = await createUser();
    const otherUser = await createUser();
    const secondDevice = await startSession(user.id, "second device");

    const pairs = await Promise.all(
      instances.servers.map((server) =>
        expectCall<{ accessToken: string; refreshToken: string }>(
          200,
          server,
          "POST",
          "/users/refresh-token",
          { body: { refreshToken: user.refreshToken } }
        )
      )
    );
    expect(new Set(pairs.map((pair) => pair.refreshToken)).size).toBe(2);
    for (const [index, pair] of pairs.entries()) {
      await expectCall(200, on(index + 1), "GET", "/users/current-user", {
        bearer: pair.accessToken,
      });
    }

    await new Promise((resolve) => setTimeout(resolve, REFRESH_GRACE_MS + 200));
    const reuse = await callApi(on(1), "POST", "/users/refresh-token", {
      body: { refreshToken: user.refreshToken },
    });
    expect(reuse.status).toBe(401);
    expect(reuse.message).toMatch(/reuse/i);

    for (const pair of pairs) {
      const refreshed = await callApi(on(0), "POST", "/users/refresh-token", {
        body: { refreshToken: pair.refreshToken },
      });
      expect(refreshed.status).toBe(401);
    }
    // Both instances had the successors cached: each lets go within the bound.
    await vi.waitFor(
      async () => {
        for (const pair of pairs)
          for (const server of instances.servers)
            expect(
              (
                await callApi(server, "GET", "/users/current-user", {
                  bearer: pair.accessToken,
                })
              ).status
            ).toBe(401);
      },
      { timeout: AUTH_CACHE_TTL_MS + MARGIN_MS, interval: 50 }
    );
    // The user's other sign-in and another user stay signed in.
    for (const bearer of [secondDevice.accessToken, otherUser.accessToken])
      for (const server of instances.servers)
        await expectCall(200, server, "GET", "/users/current-user", {
          bearer,
        });
  });

  it("refuses on the other instance, within AUTH_CACHE_TTL_MS, a session signed out on one", async () => {
    const user = await createUser();
    const [first, second] = instances.servers;
    // The other instance has the session cached, as during any busy session.
    await expectCall(200, second, "GET", "/users/current-user", {
      bearer: user.accessToken,
    });

    await expectCall(200, first, "POST", "/users/logout", {
      bearer: user.accessToken,
    });
    const signedOutAt = Date.now();
    expect(
      (
        await callApi(first, "GET", "/users/current-user", {
          bearer: user.accessToken,
        })
      ).status
    ).toBe(401);
    await vi.waitFor(
      async () =>
        expect(
          (
            await callApi(second, "GET", "/users/current-user", {
              bearer: user.accessToken,
            })
          ).status
        ).toBe(401),
      { timeout: AUTH_CACHE_TTL_MS + MARGIN_MS, interval: 25 }
    );
    expect(Date.now() - signedOutAt).toBeLessThanOrEqual(
      AUTH_CACHE_TTL_MS + MARGIN_MS
    );
  });

  it("keeps both fields when one account is updated on both instances at once, and one of the values when both change the same field", async () => {
    const user = await createUser();
    const update = (index: number, body: Record<string, string>) =>
      expectCall(200, on(index), "PATCH", "/users/update-account", {
        bearer: user.accessToken,
        body,
      });
    const email = `moved_${user.user.username}@example.com`;

    await Promise.all([
      update(0, { fullName: "Changed On First" }),
      update(1, { email }),
    ]);
    const both = await User.findById(user.id).lean();
    expect({ fullName: both?.fullName, email: both?.email }).toEqual({
      fullName: "Changed On First",
      email,
    });

    await Promise.all([
      update(0, { fullName: "Named On First" }),
      update(1, { fullName: "Named On Second" }),
    ]);
    const final = await User.findById(user.id).lean();
    expect(["Named On First", "Named On Second"]).toContain(final?.fullName);
    expect(final?.email).toBe(email);
    await vi.waitFor(
      async () => {
        for (const server of instances.servers) {
          const current = await expectCall<{ fullName: string }>(
            200,
            server,
            "GET",
            "/users/current-user",
            { bearer: user.accessToken }
          );
          expect(current.fullName).toBe(final?.fullName);
        }
      },
      { timeout: AUTH_CACHE_TTL_MS + MARGIN_MS, interval: 50 }
    );
  });

  it("shares a rate limit's count: requests split across both instances get 429 at the limit, not at twice it", async () => {
    const user = await createUser();
    const answers = await Promise.all(
      Array.from({ length: UPLOADS_LIMIT * 3 }, (_unused, index) =>
        callApi(on(index), "PATCH", "/users/avatar", {
          bearer: user.accessToken,
          body: {},
        })
      )
    );
    const statuses = answers.map((answer) => answer.status);
    const limited = statuses.filter((status) => status === 429);
    expect(limited).toHaveLength(UPLOADS_LIMIT * 2);
    // The requests let through fail on their missing file, not on the server.
    for (const status of statuses) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    }
  });
});
