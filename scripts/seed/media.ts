import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { PNG } from "pngjs";
import type { StoredMedia } from "../../src/models/media.schema.js";
import { SHARED_MEDIA_PREFIX } from "../../src/services/media.service.js";

/** The seed's media library: a few files that every seeded record shares. */
export interface MediaLibrary {
  avatars: StoredMedia[];
  thumbnails: StoredMedia[];
  videos: (StoredMedia & { duration: number })[];
  /** True when the videos are real clips (ffmpeg was found). */
  playable: boolean;
}

const PALETTE: [number, number, number][] = [
  [231, 76, 60],
  [52, 152, 219],
  [46, 204, 113],
  [155, 89, 182],
  [241, 196, 15],
  [26, 188, 156],
  [230, 126, 34],
  [52, 73, 94],
];

/** A PNG of `width` x `height`: a diagonal gradient from `color` to dark. */
function gradientPng(
  width: number,
  height: number,
  [r, g, b]: [number, number, number]
): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const shade = 1 - (0.6 * (x + y)) / (width + height);
      const at = (y * width + x) * 4;
      png.data[at] = Math.round(r * shade);
      png.data[at + 1] = Math.round(g * shade);
      png.data[at + 2] = Math.round(b * shade);
      png.data[at + 3] = 255;
    }
  return PNG.sync.write(png);
}

/**
 * An MP4 whose header gives `seconds` (what the API reads as the duration)
 * and no frames: the stand-in when ffmpeg is not installed.
 */
function headerOnlyMp4(seconds: number): Buffer {
  const box = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + body.length, 0);
    head.write(type, 4, "latin1");
    return Buffer.concat([head, body]);
  };
  const ftyp = box(
    "ftyp",
    Buffer.concat([
      Buffer.from("isom", "latin1"),
      Buffer.alloc(4),
      Buffer.from("isomiso2mp41", "latin1"),
    ])
  );
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12);
  mvhd.writeUInt32BE(Math.round(seconds * 1000), 16);
  mvhd.writeUInt32BE(0x00010000, 20);
  mvhd.writeUInt16BE(0x0100, 24);
  mvhd.writeUInt32BE(0x00010000, 36);
  mvhd.writeUInt32BE(0x00010000, 52);
  mvhd.writeUInt32BE(0x40000000, 68);
  mvhd.writeUInt32BE(2, 96);
  return Buffer.concat([ftyp, box("moov", box("mvhd", mvhd))]);
}

const hasFfmpeg = () =>
  spawnSync("ffmpeg", ["-version"], { stdio: "ignore" }).status === 0;

/** A header-only stand-in is under a kilobyte; an encoded clip is far more. */
const isEncodedClip = (file: string) =>
  existsSync(file) && statSync(file).size > 16 * 1024;

/** A real, seekable H.264 clip from ffmpeg's test pattern. */
function ffmpegClip(target: string, seconds: number, hue: number): boolean {
  const result = spawnSync(
    "ffmpeg",
    [
      "-y",
      "-loglevel",
      "error",
      "-f",
      "lavfi",
      "-i",
      `testsrc2=size=640x360:rate=24:duration=${seconds}`,
      "-vf",
      `hue=h=${hue}`,
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-pix_fmt",
      "yuv420p",
      "-movflags",
      "+faststart",
      target,
    ],
    { stdio: "ignore" }
  );
  return result.status === 0;
}

/**
 * Writes the library under `<storageDir>/seed/` (served at
 * `<urlPrefix>/seed/…`); files already there are kept.
 */
export async function writeMediaLibrary(
  storageDir: string,
  urlPrefix: string
): Promise<MediaLibrary> {
  const media = (kind: "image" | "video", name: string) => {
    const publicId = `${SHARED_MEDIA_PREFIX}${kind}/${name}`;
    return {
      publicId,
      url: `${urlPrefix}/${publicId}`,
      file: path.join(storageDir, publicId),
    };
  };
  await mkdir(path.join(storageDir, SHARED_MEDIA_PREFIX, "image"), {
    recursive: true,
  });
  await mkdir(path.join(storageDir, SHARED_MEDIA_PREFIX, "video"), {
    recursive: true,
  });

  const avatars: StoredMedia[] = [];
  const thumbnails: StoredMedia[] = [];
  for (const [index, color] of PALETTE.entries()) {
    const avatar = media("image", `avatar-${index}.png`);
    await writeFile(avatar.file, gradientPng(128, 128, color));
    avatars.push({ url: avatar.url, publicId: avatar.publicId });
    const thumbnail = media("image", `thumbnail-${index}.png`);
    await writeFile(thumbnail.file, gradientPng(480, 270, color));
    thumbnails.push({ url: thumbnail.url, publicId: thumbnail.publicId });
  }

  const ffmpeg = hasFfmpeg();
  let playable = ffmpeg;
  const videos: MediaLibrary["videos"] = [];
  for (const [index, seconds] of [8, 12, 20, 30].entries()) {
    const clip = media("video", `clip-${index}.mp4`);
    // A clip an earlier run made with ffmpeg is kept (encoding takes seconds).
    const made =
      ffmpeg &&
      (isEncodedClip(clip.file) || ffmpegClip(clip.file, seconds, index * 90));
    if (!made) await writeFile(clip.file, headerOnlyMp4(seconds));
    playable &&= made;
    videos.push({ url: clip.url, publicId: clip.publicId, duration: seconds });
  }
  return { avatars, thumbnails, videos, playable };
}
