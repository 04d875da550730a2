import { Types } from "mongoose";
import { describe, expect, it } from "vitest";
import { WATCH_HISTORY_LIMIT } from "../src/models/user.model.js";
import { WatchEntry } from "../src/models/watchEntry.model.js";
import {
  forgetVideoInHistories,
  historyVideoIds,
  recordWatch,
} from "../src/services/history.service.js";
import { createUser } from "./helpers/factories.js";

const historyOf = async (id: string) => (await historyVideoIds(id)).map(String);

const newId = () => new Types.ObjectId().toString();

describe("watch history", () => {
  it("puts the latest watch first and keeps each video once", async () => {
    const { id } = await createUser();
    const [a, b] = [newId(), newId()];
    await recordWatch(id, a);
    await recordWatch(id, b);
    await recordWatch(id, a);
    expect(await historyOf(id)).toEqual([a, b]);
  });

  it("loses no entry and duplicates none under concurrent watches", async () => {
    const { id } = await createUser();
    const videos = Array.from({ length: 12 }, newId);
    await Promise.all(
      [...videos, ...videos].map((video) => recordWatch(id, video))
    );
    const history = await historyOf(id);
    expect(history).toHaveLength(videos.length);
    expect(new Set(history)).toEqual(new Set(videos));
  });

  it("keeps only the most recent entries", async () => {
    const { id } = await createUser();
    const start = Date.now() - 1_000_000;
    const old = Array.from({ length: WATCH_HISTORY_LIMIT }, (_, index) => ({
      user: new Types.ObjectId(id),
      video: new Types.ObjectId(),
      watchedAt: new Date(start + index),
    }));
    await WatchEntry.insertMany(old);
    const latest = newId();
    await recordWatch(id, latest);
    expect(await WatchEntry.countDocuments({ user: id })).toBe(
      WATCH_HISTORY_LIMIT
    );
    expect((await historyOf(id))[0]).toBe(latest);
    expect(await WatchEntry.exists({ video: old[0]?.video })).toBeNull();
  });

  it("forgets a deleted video in every history", async () => {
    const [first, second] = [await createUser(), await createUser()];
    const [video, other] = [newId(), newId()];
    await recordWatch(first.id, video);
    await recordWatch(second.id, other);
    await recordWatch(second.id, video);
    await forgetVideoInHistories(video);
    expect(await historyOf(first.id)).toEqual([]);
    expect(await historyOf(second.id)).toEqual([other]);
  });
});
