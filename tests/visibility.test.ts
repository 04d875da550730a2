import type { Response } from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { Video } from "../src/models/video.model.js";
import { WatchEntry } from "../src/models/watchEntry.model.js";
import { createLike, createPlaylist } from "./helpers/content.factories.js";
import { createUser, createVideo, type TestUser } from "./helpers/factories.js";
import { API, api } from "./helpers/http.js";

/**
 * The video-visibility rule, route by route: a video shows when it is
 * published or the viewer owns it, and never while its delete is under way;
 * a hidden video is answered as missing (404, or absent from a list whose
 * total does not count it), never as 403.
 */

type State = "published" | "unpublished" | "being deleted";
type Viewer = "owner" | "another user" | "anonymous";

const STATES: State[] = ["published", "unpublished", "being deleted"];
const VIEWERS: Viewer[] = ["owner", "another user", "anonymous"];

/** The rule, stated once for the whole table. */
const visible = (state: State, viewer: Viewer) =>
  state !== "being deleted" && (state === "published" || viewer === "owner");

// A fresh owner for each row keeps their channel, dashboard and playlists
// to the one video of the row; the other user is shared.
let owner: TestUser;
let other: TestUser;

beforeAll(async () => {
  other = await createUser();
});

/** A fresh video in `state` (an interrupted delete keeps isPublished). */
async function videoIn(state: State): Promise<{ id: string; title: string }> {
  const video = await createVideo(owner, {
    isPublished: state !== "unpublished",
  });
  if (state === "being deleted")
    await Video.updateOne(
      { _id: video._id },
      { $set: { deletingAt: new Date() } }
    );
  return { id: String(video._id), title: video.title };
}

const userOf = (viewer: Viewer) =>
  viewer === "owner" ? owner : viewer === "another user" ? other : undefined;

function as(
  viewer: Viewer,
  request: ReturnType<ReturnType<typeof api>["get"]>
) {
  const user = userOf(viewer);
  return user ? request.set("Authorization", user.bearer) : request;
}

interface Page {
  docs: { _id: string }[];
  totalDocs: number;
}

/** Whether a list answer shows the video, checking that its total agrees. */
function listShows(
  response: Response,
  videoId: string,
  ids = (body: Page) => body.docs.map((doc) => doc._id)
) {
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const page = response.body.data as Page;
  const shown = ids(page).includes(videoId);
  expect(page.totalDocs).toBe(page.docs.length);
  return shown;
}

/** Puts the video in a fresh playlist of the owner's, then reads `url(playlistId)` as `viewer`. */
async function viaOwnersPlaylist(
  videoId: string,
  viewer: Viewer,
  url: (playlistId: string) => string
) {
  const playlist = await createPlaylist(owner, { videos: [{ id: videoId }] });
  const playlistId = String(playlist._id);
  const response = await as(viewer, api().get(url(playlistId)));
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return { playlistId, response };
}

/** A 200 when visible, a 404 (never 403) when hidden. */
function foundOrMissing(response: Response, ok = 200) {
  expect([ok, 404], JSON.stringify(response.body)).toContain(response.status);
  return response.status === ok;
}

interface Route {
  name: string;
  /** Routes behind authenticate have no anonymous row. */
  signedInOnly?: boolean;
  /** A refinement of the rule for this route, said in `why`. */
  expected?: (state: State, viewer: Viewer) => boolean;
  /** Sends the route's request for `videoId` as `viewer`; true when the video showed. */
  shows: (
    video: { id: string; title: string },
    viewer: Viewer
  ) => Promise<boolean>;
}

const ROUTES: Route[] = [
  {
    name: "GET /videos (the public list, searched by title)",
    // The public list is the same for everyone: a viewer's drafts show only on their own channel.
    expected: (state) => visible(state, "anonymous"),
    shows: async (video, viewer) =>
      listShows(
        await as(
          viewer,
          api().get(`${API}/videos`).query({ query: video.title })
        ),
        video.id
      ),
  },
  {
    name: "GET /videos?userId= (a channel)",
    shows: async (video, viewer) =>
      listShows(
        await as(viewer, api().get(`${API}/videos?userId=${owner.id}`)),
        video.id
      ),
  },
  {
    name: "GET /videos/:videoId",
    shows: async ({ id: videoId }, viewer) =>
      foundOrMissing(await as(viewer, api().get(`${API}/videos/${videoId}`))),
  },
  {
    name: "GET /playlist/:playlistId (the owner's playlist)",
    shows: async ({ id: videoId }, viewer) => {
      const { response } = await viaOwnersPlaylist(
        videoId,
        viewer,
        (id) => `${API}/playlist/${id}`
      );
      return (response.body.data.videos as { _id: string }[]).some(
        (video) => video._id === videoId
      );
    },
  },
  {
    name: "GET /playlist/user/:userId (videosCount)",
    shows: async ({ id: videoId }, viewer) => {
      const { playlistId, response } = await viaOwnersPlaylist(
        videoId,
        viewer,
        () => `${API}/playlist/user/${owner.id}?limit=100`
      );
      const row = (
        response.body.data.docs as { _id: string; videosCount: number }[]
      ).find((doc) => doc._id === playlistId);
      return row?.videosCount === 1;
    },
  },
  {
    name: "GET /likes/videos (the viewer liked it)",
    signedInOnly: true,
    shows: async ({ id: videoId }, viewer) => {
      await createLike(userOf(viewer) as TestUser, "video", { id: videoId });
      return listShows(
        await as(viewer, api().get(`${API}/likes/videos?limit=100`)),
        videoId
      );
    },
  },
  {
    name: "GET /users/history (the viewer watched it)",
    signedInOnly: true,
    shows: async ({ id: videoId }, viewer) => {
      await WatchEntry.create({
        user: (userOf(viewer) as TestUser).id,
        video: videoId,
        watchedAt: new Date(),
      });
      return listShows(
        await as(viewer, api().get(`${API}/users/history?limit=100`)),
        videoId
      );
    },
  },
  {
    name: "GET /dashboard/videos",
    signedInOnly: true,
    // The dashboard is always the caller's own channel: another user's video is never on it.
    expected: (state, viewer) => visible(state, viewer) && viewer === "owner",
    shows: async ({ id: videoId }, viewer) =>
      listShows(
        await as(viewer, api().get(`${API}/dashboard/videos?limit=100`)),
        videoId
      ),
  },
  {
    name: "GET /comments/:videoId",
    shows: async ({ id: videoId }, viewer) =>
      foundOrMissing(await as(viewer, api().get(`${API}/comments/${videoId}`))),
  },
  {
    name: "POST /comments/:videoId",
    signedInOnly: true,
    shows: async ({ id: videoId }, viewer) =>
      foundOrMissing(
        await as(viewer, api().post(`${API}/comments/${videoId}`)).send({
          content: "Hi",
        }),
        201
      ),
  },
  {
    name: "POST /likes/toggle/v/:videoId",
    signedInOnly: true,
    shows: async ({ id: videoId }, viewer) =>
      foundOrMissing(
        await as(viewer, api().post(`${API}/likes/toggle/v/${videoId}`))
      ),
  },
  {
    name: "PATCH /playlist/add/:videoId/:playlistId (the viewer's playlist)",
    signedInOnly: true,
    shows: async ({ id: videoId }, viewer) => {
      const playlist = await createPlaylist(userOf(viewer) as TestUser);
      return foundOrMissing(
        await as(
          viewer,
          api().patch(`${API}/playlist/add/${videoId}/${String(playlist._id)}`)
        )
      );
    },
  },
];

const ROWS = ROUTES.flatMap((route) =>
  STATES.flatMap((state) =>
    VIEWERS.filter(
      (viewer) => !(route.signedInOnly && viewer === "anonymous")
    ).map((viewer) => ({ route, state, viewer }))
  )
);

describe("who sees a video, route by route", () => {
  it.each(
    ROWS.map((row) => [row.route.name, row.state, row.viewer, row] as const)
  )("%s: a %s video, seen by %s", async (_name, state, viewer, { route }) => {
    owner = await createUser();
    const expected = (route.expected ?? visible)(state, viewer);
    const video = await videoIn(state);
    expect(await route.shows(video, viewer)).toBe(expected);
  });
});
