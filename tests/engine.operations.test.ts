import { Types } from "mongoose";
import { describe, expect, it } from "vitest";
import {
  changeCounter,
  changeDocument,
  countPerValue,
  deleteWhereIn,
  findByIds,
  findWhereIn,
  isDuplicateKeyError,
  recountCounter,
  sumFields,
} from "../src/db/engine/index.js";
import { Like } from "../src/models/like.model.js";
import { User } from "../src/models/user.model.js";
import { Video } from "../src/models/video.model.js";
import { createUser, createUsers, createVideo } from "./helpers/factories.js";

// Each operation of src/db/engine as the engine under test runs it: this
// file runs on every engine CI runs, so each engine's branch is exercised.
const likesOf = (videoId: Types.ObjectId) =>
  Like.countDocuments({ targetType: "video", target: videoId });

describe("the engine seam's operations, on the engine under test", () => {
  it("changeDocument loses no change when many read-then-write changes of one document run at once", async () => {
    const owner = await createUser();
    const video = await createVideo(owner, { views: 0 });
    const changes = 20;

    const seen = await Promise.all(
      Array.from({ length: changes }, () =>
        changeDocument(Video, video._id, ["views"], (current) => {
          if (!current) throw new Error("the video is gone");
          const next = (current.views ?? 0) + 1;
          return { update: { $set: { views: next } }, result: next };
        })
      )
    );

    expect((await Video.findById(video._id).lean())?.views).toBe(changes);
    // Each change saw a state no other change saw.
    expect(new Set(seen).size).toBe(changes);
  });

  it("changeDocument hands null to the plan for a missing document and writes nothing", async () => {
    const missing = new Types.ObjectId();
    const result = await changeDocument(
      Video,
      missing,
      ["views"],
      (current) => ({
        update: { $set: { views: 1 } },
        result: current,
      })
    );
    expect(result).toBeNull();
    expect(await Video.exists({ _id: missing })).toBeNull();
  });

  it("changeCounter keeps a counter equal to its records when many changes run at once", async () => {
    const owner = await createUser();
    const video = await createVideo(owner);
    const likers = await createUsers(30);

    const answers = await Promise.all(
      likers.map((liker) =>
        changeCounter(
          Video,
          video._id,
          "likesCount",
          async () => {
            await Like.create({
              targetType: "video",
              target: video._id,
              likedBy: new Types.ObjectId(liker.id),
            });
            return { result: liker.id, delta: 1 };
          },
          () => likesOf(video._id)
        )
      )
    );

    expect((await Video.findById(video._id).lean())?.likesCount).toBe(30);
    expect(await likesOf(video._id)).toBe(30);
    // Every answer is a count some moment had, the last one all of them.
    expect(Math.max(...answers.map(({ count }) => count))).toBe(30);
  });

  it("recountCounter sets a drifted counter to its records", async () => {
    const owner = await createUser();
    const fan = await createUser();
    const video = await createVideo(owner);
    await Like.create({
      targetType: "video",
      target: video._id,
      likedBy: new Types.ObjectId(fan.id),
    });
    await Video.updateOne({ _id: video._id }, { $set: { likesCount: 9 } });

    expect(
      await recountCounter(Video, video._id, "likesCount", () =>
        likesOf(video._id)
      )
    ).toBe(1);
    expect((await Video.findById(video._id).lean())?.likesCount).toBe(1);
  });

  it("sumFields counts the matches and sums each field over them", async () => {
    const owner = await createUser();
    await createVideo(owner, { views: 3 });
    await createVideo(owner, { views: 4 });
    await Video.updateMany(
      { owner: new Types.ObjectId(owner.id) },
      { $set: { likesCount: 2, commentsCount: 5 } }
    );

    const totals = await sumFields(
      Video,
      { owner: new Types.ObjectId(owner.id) },
      ["views", "likesCount", "commentsCount"]
    );

    expect(totals).toEqual({
      count: 2,
      views: 7,
      likesCount: 4,
      commentsCount: 10,
    });
    expect(
      await sumFields(Video, { owner: new Types.ObjectId() }, ["views"])
    ).toEqual({ count: 0, views: 0 });
  });

  it("findByIds answers the documents with those ids, with the fields asked", async () => {
    const [alice, bob, carol] = await createUsers(3);
    if (!alice || !bob || !carol) throw new Error("three users");
    const ids = [alice, carol].map((user) => new Types.ObjectId(user.id));

    const found = await findByIds(User, ids, "username");

    expect(found.map((user) => String(user._id)).sort()).toEqual(
      [alice.id, carol.id].sort()
    );
    for (const user of found) {
      expect(user.username).toEqual(expect.any(String));
      expect(user).not.toHaveProperty("email");
    }
    expect(
      await findByIds(User, [ids[0] as Types.ObjectId], "username")
    ).toHaveLength(1);
    expect(await findByIds(User, [], "username")).toEqual([]);
  });

  it("isDuplicateKeyError recognises a duplicate key on insert and on update", async () => {
    const [alice, bob] = await createUsers(2);
    if (!alice || !bob) throw new Error("two users");
    const onInsert = await Like.create([
      {
        targetType: "video",
        target: new Types.ObjectId(),
        likedBy: new Types.ObjectId(),
      },
    ]).then(([like]) =>
      Like.create({
        targetType: like?.targetType,
        target: like?.target,
        likedBy: like?.likedBy,
      }).catch((error: unknown) => error)
    );
    const onUpdate = await User.updateOne(
      { _id: bob.id },
      { $set: { email: alice.user.email } }
    ).catch((error: unknown) => error);

    expect(isDuplicateKeyError(onInsert)).toBe(true);
    expect(isDuplicateKeyError(onUpdate)).toBe(true);
    expect(isDuplicateKeyError(new Error("something else"))).toBe(false);
  });

  it("findWhereIn, countPerValue and deleteWhereIn act on exactly the records of the values given, each once", async () => {
    const owner = await createUser();
    const fans = await createUsers(3);
    const videos = await Promise.all(
      Array.from({ length: 4 }, () => createVideo(owner))
    );
    // Video i is liked by the first i fans; a comment like on video 3's id
    // is of another target type and must never count.
    for (const [index, video] of videos.entries())
      await Like.insertMany(
        fans.slice(0, index).map((fan) => ({
          targetType: "video",
          target: video._id,
          likedBy: new Types.ObjectId(fan.id),
        }))
      );
    await Like.create({
      targetType: "comment",
      target: videos[3]?._id,
      likedBy: new Types.ObjectId(owner.id),
    });
    const [none, one, two, three] = videos.map((video) => video._id);
    if (!none || !one || !two || !three) throw new Error("four videos");
    const missing = new Types.ObjectId();
    // A value twice, and one no record holds.
    const asked = [one, three, three, missing, none];
    const onlyVideos = { targetType: "video" as const };

    const found = await findWhereIn(Like, "target", asked, onlyVideos, {});
    const expected = await Like.find({
      ...onlyVideos,
      target: { $in: asked },
    }).lean();
    const byId = (likes: { _id: Types.ObjectId }[]) =>
      [...likes].sort((a, b) => String(a._id).localeCompare(String(b._id)));
    // Whole records, as lean() reads them (ids, dates, every field).
    expect(byId(found)).toEqual(byId(expected));
    expect(found).toHaveLength(1 + 3);

    const counts = await countPerValue(Like, "target", asked, onlyVideos);
    expect(Object.fromEntries(counts)).toEqual({
      [String(one)]: 1,
      [String(three)]: 3,
    });

    await deleteWhereIn(Like, "target", [three, missing], onlyVideos);
    expect(await likesOf(three)).toBe(0);
    expect(await likesOf(two)).toBe(2);
    expect(await Like.countDocuments({ targetType: "comment" })).toBe(1);
  });
});
