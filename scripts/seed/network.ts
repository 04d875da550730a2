import { Types } from "mongoose";
import type { MediaLibrary } from "./media.js";

/**
 * The demo network, as plain documents made from an index: the same index
 * always gives the same document and the same `_id`, so a second run finds
 * what the first one wrote (idempotent) and --reset knows what to delete.
 */

export interface SeedSize {
  users: number;
  videos: number;
}

export type Kind =
  | "users"
  | "videos"
  | "likes"
  | "comments"
  | "subscriptions"
  | "playlists"
  | "tweets";

const KIND_CODE: Record<Kind, number> = {
  users: 1,
  videos: 2,
  likes: 3,
  comments: 4,
  subscriptions: 5,
  playlists: 6,
  tweets: 7,
};

const SUBSCRIPTIONS_PER_USER = 5;
const LIKES_PER_VIDEO = 2;
const TWEETS_PER_USER = 2;

/** How many documents of each kind a size makes. */
export function countsOf({ users, videos }: SeedSize): Record<Kind, number> {
  return {
    users,
    videos,
    likes: videos * LIKES_PER_VIDEO,
    comments: Math.ceil(videos / 2),
    subscriptions: users * Math.min(SUBSCRIPTIONS_PER_USER, users - 1),
    playlists: users,
    tweets: users * TWEETS_PER_USER,
  };
}

const EPOCH = Date.UTC(2025, 0, 1) / 1000;
const SPAN_SECONDS = 700 * 24 * 3600;

/** A deterministic pseudo-random number in [0, 1) for (kind, index, salt). */
function noise(kind: Kind, index: number, salt = 0): number {
  let x =
    (index + 1) * 0x9e3779b1 + KIND_CODE[kind] * 0x85ebca6b + salt * 0xc2b2ae35;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return ((x ^ (x >>> 16)) >>> 0) / 2 ** 32;
}

const createdAtOf = (kind: Kind, index: number) =>
  new Date((EPOCH + Math.floor(noise(kind, index, 1) * SPAN_SECONDS)) * 1000);

/** The `_id` of document `index` of `kind`: its time, a seed mark, the kind, the index. */
export function seedId(kind: Kind, index: number): Types.ObjectId {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(createdAtOf(kind, index).getTime() / 1000), 0);
  bytes.writeUInt8(0x5e, 4);
  bytes.writeUInt8(KIND_CODE[kind], 5);
  bytes.writeUIntBE(index, 6, 6);
  return new Types.ObjectId(bytes);
}

/** A document's own fields with its seed `_id` and timestamps. */
function stamped<T extends object>(kind: Kind, index: number, fields: T) {
  const createdAt = createdAtOf(kind, index);
  return {
    _id: seedId(kind, index),
    ...fields,
    createdAt,
    updatedAt: createdAt,
    __v: 0,
  };
}

const pick = <T>(list: readonly T[], at: number): T =>
  list[at % list.length] as T;

const FIRST = [
  "Ada",
  "Ben",
  "Chloe",
  "Dev",
  "Elif",
  "Farid",
  "Grace",
  "Hugo",
  "Ines",
  "Jon",
  "Kai",
  "Lena",
  "Mateo",
  "Nora",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sami",
  "Tara",
];
const LAST = [
  "Lovelace",
  "Okafor",
  "Martin",
  "Patel",
  "Yilmaz",
  "Haddad",
  "Hopper",
  "Moreau",
  "Silva",
  "Berg",
  "Tanaka",
  "Novak",
  "Garcia",
  "Kim",
  "Aziz",
  "Rao",
  "Walsh",
  "Costa",
  "Haddou",
  "Singh",
];
const TOPICS = [
  "TypeScript",
  "sourdough",
  "bouldering",
  "jazz piano",
  "street food",
  "home lab",
  "watercolour",
  "trail running",
  "chess openings",
  "synthwave",
  "urban gardening",
  "retro consoles",
  "film photography",
  "MongoDB",
  "Express 5",
  "espresso",
  "cycling tours",
  "origami",
];
const FORMATS = [
  "in 10 minutes",
  "for beginners",
  "deep dive",
  "live session",
  "tips and tricks",
  "a day of",
  "mistakes I made",
  "explained",
  "from scratch",
  "Q&A",
];
const COMMENTS = [
  "Great video, thanks!",
  "This helped me a lot.",
  "Could you do a follow-up?",
  "The part at the end was the best.",
  "Subscribed!",
  "I tried this and it worked.",
  "Love the editing.",
  "What gear do you use?",
];
const TWEETS = [
  "New video is up!",
  "Working on something big this week.",
  "Thanks for 1k subscribers!",
  "Which topic should I cover next?",
  "Live stream on Friday.",
  "Behind the scenes today.",
];

export const SEED_PASSWORD = "videotube-demo";

export function userDoc(
  index: number,
  media: MediaLibrary,
  passwordHash: string
) {
  return stamped("users", index, {
    username: `seed_${index}`,
    email: `seed_${index}@example.com`,
    fullName: `${pick(FIRST, index)} ${pick(LAST, Math.floor(index / FIRST.length))}`,
    avatar: pick(media.avatars, index),
    ...(index % 3 === 0 && { coverImage: pick(media.thumbnails, index + 3) }),
    password: passwordHash,
  });
}

export function videoDoc(index: number, size: SeedSize, media: MediaLibrary) {
  const clip = pick(media.videos, index);
  const topic = pick(
    TOPICS,
    Math.floor(noise("videos", index, 2) * TOPICS.length)
  );
  return stamped("videos", index, {
    videoFile: { url: clip.url, publicId: clip.publicId },
    thumbnail: pick(media.thumbnails, index),
    owner: seedId("users", index % size.users),
    title: `${topic} ${pick(FORMATS, index)} #${index + 1}`,
    description: `A video about ${topic}. Part of the VideoTube demo network.`,
    duration: clip.duration,
    views: Math.floor(noise("videos", index, 3) ** 3 * 50_000),
    // The counters of the likes and comments below (likeDoc, commentDoc).
    likesCount: LIKES_PER_VIDEO,
    commentsCount: index % 2 === 0 ? 1 : 0,
    isPublished: noise("videos", index, 4) > 0.05,
  });
}

export function likeDoc(index: number, size: SeedSize) {
  const video = Math.floor(index / LIKES_PER_VIDEO);
  // Two different users per video: consecutive indexes, shifted per video.
  const user = (video + (index % LIKES_PER_VIDEO) + 1) % size.users;
  return stamped("likes", index, {
    targetType: "video",
    target: seedId("videos", video),
    likedBy: seedId("users", user),
  });
}

export function commentDoc(index: number, size: SeedSize) {
  return stamped("comments", index, {
    content: pick(COMMENTS, index),
    video: seedId("videos", (index * 2) % size.videos),
    owner: seedId("users", (index * 7 + 1) % size.users),
  });
}

export function subscriptionDoc(index: number, size: SeedSize) {
  const perUser = Math.min(SUBSCRIPTIONS_PER_USER, size.users - 1);
  const subscriber = Math.floor(index / perUser);
  // Channels 1..perUser places after the subscriber: never themselves.
  const channel = (subscriber + (index % perUser) + 1) % size.users;
  return stamped("subscriptions", index, {
    subscriber: seedId("users", subscriber),
    channel: seedId("users", channel),
  });
}

export function playlistDoc(index: number, size: SeedSize) {
  const first = (index * 13) % size.videos;
  return stamped("playlists", index, {
    name: `${pick(FIRST, index)}'s favourites`,
    description: "Videos worth another watch",
    videos: Array.from({ length: Math.min(5, size.videos) }, (_, i) =>
      seedId("videos", (first + i) % size.videos)
    ),
    owner: seedId("users", index),
  });
}

export function tweetDoc(index: number, size: SeedSize) {
  return stamped("tweets", index, {
    content: `${pick(TWEETS, index)} (${index + 1})`,
    owner: seedId("users", Math.floor(index / TWEETS_PER_USER) % size.users),
  });
}
