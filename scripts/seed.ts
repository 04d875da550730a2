// npm run seed -- [--videos N] [--users N] [--reset]
// Fills the configured database (MONGODB_URI, else the embedded one in
// DATA_DIR) with the demo network of scripts/seed/network.ts.
import { parseArgs } from "node:util";
import bcrypt from "bcrypt";
import { SingleBar, Presets } from "cli-progress";
import type { Model } from "mongoose";
import { config } from "../src/config.js";
import type { EmbeddedDatabase } from "../src/db/embedded/index.js";
import { connectDB, disconnectDB, prepareIndexes } from "../src/db/index.js";
import { Comment } from "../src/models/comment.model.js";
import { Like } from "../src/models/like.model.js";
import { Playlist } from "../src/models/playlist.model.js";
import { Subscription } from "../src/models/subscription.model.js";
import { Tweet } from "../src/models/tweet.model.js";
import { BCRYPT_COST, User } from "../src/models/user.model.js";
import { Video } from "../src/models/video.model.js";
import { writeMediaLibrary, type MediaLibrary } from "./seed/media.js";
import {
  commentDoc,
  countsOf,
  likeDoc,
  playlistDoc,
  SEED_PASSWORD,
  seedId,
  subscriptionDoc,
  tweetDoc,
  userDoc,
  videoDoc,
  type Kind,
  type SeedSize,
} from "./seed/network.js";

const BATCH = 5_000;
const say = (line: string) => process.stdout.write(`${line}\n`);

function parseSize(): { size: SeedSize; reset: boolean } {
  const { values } = parseArgs({
    options: {
      videos: { type: "string", default: "1000" },
      users: { type: "string" },
      reset: { type: "boolean", default: false },
    },
  });
  const videos = Number(values.videos);
  const users =
    values.users === undefined
      ? Math.max(3, Math.ceil(videos / 50))
      : Number(values.users);
  if (!Number.isInteger(videos) || videos < 1 || videos > 10_000_000)
    throw new Error("--videos must be a whole number from 1 to 10,000,000");
  if (!Number.isInteger(users) || users < 3 || users > 1_000_000)
    throw new Error("--users must be a whole number from 3 to 1,000,000");
  return { size: { users, videos }, reset: values.reset };
}

/** A bar on a terminal, a line every 10% elsewhere (CI logs, pipes). */
function progress(label: string, total: number) {
  if (process.stdout.isTTY) {
    const bar = new SingleBar(
      {
        format: `${label.padEnd(13)} {bar} {percentage}% {value}/{total} ({eta_formatted} left)`,
      },
      Presets.shades_classic
    );
    bar.start(total, 0);
    return {
      update: (done: number) => bar.update(done),
      stop: () => bar.stop(),
    };
  }
  let shown = -1;
  return {
    update(done: number) {
      const tenth = Math.floor((done / total) * 10);
      if (tenth > shown) {
        shown = tenth;
        say(`${label}: ${done}/${total}`);
      }
    },
    stop: () => undefined,
  };
}

type Make = (index: number) => Record<string, unknown>;

function makers(size: SeedSize, media: MediaLibrary, passwordHash: string) {
  const plan: [Kind, Model<never>, Make][] = [
    [
      "users",
      User as unknown as Model<never>,
      (i) => userDoc(i, media, passwordHash),
    ],
    [
      "videos",
      Video as unknown as Model<never>,
      (i) => videoDoc(i, size, media),
    ],
    ["likes", Like as unknown as Model<never>, (i) => likeDoc(i, size)],
    [
      "comments",
      Comment as unknown as Model<never>,
      (i) => commentDoc(i, size),
    ],
    [
      "subscriptions",
      Subscription as unknown as Model<never>,
      (i) => subscriptionDoc(i, size),
    ],
    [
      "playlists",
      Playlist as unknown as Model<never>,
      (i) => playlistDoc(i, size),
    ],
    ["tweets", Tweet as unknown as Model<never>, (i) => tweetDoc(i, size)],
  ];
  return plan;
}

const isOnlyDuplicates = (error: unknown) => {
  const { code, writeErrors } = error as {
    code?: number;
    writeErrors?: { code?: number }[];
  };
  if (writeErrors?.length) return writeErrors.every((e) => e.code === 11000);
  return code === 11000;
};

/** Inserts documents 0..count-1 of a kind in batches; ones already there stay. */
async function insertKind(
  kind: Kind,
  model: Model<never>,
  make: Make,
  count: number
) {
  const [first, last] = await Promise.all([
    model.collection.findOne(
      { _id: seedId(kind, 0) },
      { projection: { _id: 1 } }
    ),
    model.collection.findOne(
      { _id: seedId(kind, count - 1) },
      { projection: { _id: 1 } }
    ),
  ]);
  if (first && last) {
    say(`${kind}: ${count} already there`);
    return;
  }
  const bar = progress(kind, count);
  for (let start = 0; start < count; start += BATCH) {
    const docs = Array.from(
      { length: Math.min(BATCH, count - start) },
      (_, i) => make(start + i)
    );
    try {
      await model.collection.insertMany(docs, { ordered: false });
    } catch (error) {
      // Documents an earlier (interrupted or smaller) run wrote stay as they are.
      if (!isOnlyDuplicates(error)) throw error;
    }
    bar.update(start + docs.length);
  }
  bar.stop();
}

async function deleteKind(kind: Kind, model: Model<never>, count: number) {
  const bar = progress(`reset ${kind}`, count);
  for (let start = 0; start < count; start += BATCH) {
    const ids = Array.from({ length: Math.min(BATCH, count - start) }, (_, i) =>
      seedId(kind, start + i)
    );
    await model.collection.deleteMany({ _id: { $in: ids } });
    bar.update(start + ids.length);
  }
  bar.stop();
}

async function main() {
  const { size, reset } = parseSize();
  if (config.cloudinary)
    throw new Error(
      "The seed writes its media to the local disk: unset CLOUDINARY_* to seed."
    );
  let embedded: EmbeddedDatabase | undefined;
  let uri = config.db.uri;
  if (uri === undefined) {
    const { startEmbeddedDatabase } =
      await import("../src/db/embedded/index.js");
    embedded = await startEmbeddedDatabase(config.db.dataDir);
    uri = embedded.uri;
  }
  const started = Date.now();
  try {
    await connectDB(uri);
    await prepareIndexes(embedded?.postgresUrl ?? config.db.postgresUrl);
    const media = await writeMediaLibrary(
      config.uploads.storageDir,
      `${config.uploads.publicUrl}/uploads`
    );
    const passwordHash = await bcrypt.hash(SEED_PASSWORD, BCRYPT_COST);
    const counts = countsOf(size);
    const plan = makers(size, media, passwordHash);
    if (reset)
      for (const [kind, model] of plan)
        await deleteKind(kind, model, counts[kind]);
    for (const [kind, model, make] of plan)
      await insertKind(kind, model, make, counts[kind]);
    say(
      `Seeded ${size.users} users and ${size.videos} videos in ${Math.round((Date.now() - started) / 1000)} s ` +
        `(sign in as seed_0 … seed_${size.users - 1}, password "${SEED_PASSWORD}").` +
        (media.playable
          ? ""
          : " ffmpeg was not found: the video files carry a duration but no frames.")
    );
  } finally {
    await disconnectDB();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
