// A 1 GiB video upload through the real upload middleware and local storage:
// RSS growth and throughput, against `cp` of the same file in the same run.
// Run: npx tsx bench/upload.bench.ts [MiB]
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { stat } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { mp4Header } from "../tests/helpers/media-bytes.js";

const MiB = 1024 * 1024;
const sizeMiB = Number(process.argv[2] ?? 1024);
const work = mkdtempSync(path.join(tmpdir(), "videotube-bench-"));
process.env.NODE_ENV = "test";
process.env.LOG_LEVEL = "silent";
process.env.UPLOAD_TEMP_DIR = path.join(work, "temp");
process.env.UPLOAD_DIR = path.join(work, "uploads");
process.env.MAX_VIDEO_BYTES = String(4 * 1024 * MiB);

const { default: express } = await import("express");
const { upload, requiredFile } =
  await import("../src/middlewares/multer.middleware.js");
const { storeUploads } = await import("../src/services/media.service.js");
const { errorHandler } = await import("../src/middlewares/error.middleware.js");
const { asyncHandler } = await import("../src/utils/asyncHandler.js");

async function makeVideo(file: string, bytes: number): Promise<void> {
  const header = mp4Header(600, bytes - mp4Header(600, 0).length);
  const out = createWriteStream(file);
  out.write(header);
  const block = Buffer.alloc(8 * MiB, 0x47);
  for (let left = bytes - header.length; left > 0; left -= block.length) {
    if (!out.write(left >= block.length ? block : block.subarray(0, left))) {
      await once(out, "drain");
    }
  }
  out.end();
  await once(out, "finish");
}

const source = path.join(work, "source.mp4");
const bytes = sizeMiB * MiB;
await makeVideo(source, bytes);

let started = process.hrtime.bigint();
await promisify(execFile)("cp", [source, path.join(work, "copy.mp4")]);
const cpSeconds = Number(process.hrtime.bigint() - started) / 1e9;
rmSync(path.join(work, "copy.mp4"));

const app = express();
app.post(
  "/upload",
  upload.fields({ videoFile: "video" }),
  asyncHandler(async (req, res) => {
    res.json(await storeUploads({ videoFile: requiredFile(req, "videoFile") }));
  })
);
app.use(errorHandler);
const server = app.listen(0, "127.0.0.1");
await once(server, "listening");
const { port } = server.address() as AddressInfo;

global.gc?.();
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
}, 50);

// The client is curl in a process of its own, so the server's RSS and the
// CPU it uses are not shared with the client's (both cores are in play, as
// with a real client).
started = process.hrtime.bigint();
const curl = spawn(
  "curl",
  [
    "--silent",
    "--show-error",
    "--write-out",
    "\n%{http_code}",
    "-F",
    `videoFile=@${source};type=video/mp4;filename=big.mp4`,
    `http://127.0.0.1:${port}/upload`,
  ],
  { stdio: ["ignore", "pipe", "inherit"] }
);
let output = "";
curl.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
await once(curl, "exit");
const statusLine = output.lastIndexOf("\n");
const answer = output.slice(0, statusLine);
const response = { statusCode: Number(output.slice(statusLine + 1)) };
const uploadSeconds = Number(process.hrtime.bigint() - started) / 1e9;
clearInterval(sampler);
server.close();

const stored = JSON.parse(answer) as {
  videoFile?: { url: string; durationSeconds?: number };
};
const storedSize = stored.videoFile
  ? (
      await stat(
        path.join(work, stored.videoFile.url.replace("/uploads/", "uploads/"))
      )
    ).size
  : 0;
const mbps = (seconds: number) => bytes / MiB / seconds;
process.stdout.write(
  JSON.stringify(
    {
      fileMiB: sizeMiB,
      status: response.statusCode,
      storedBytesMatch: storedSize === bytes,
      durationSeconds: stored.videoFile?.durationSeconds,
      rssGrowthMiB: Math.round(((rssPeak - rssBefore) / MiB) * 10) / 10,
      uploadMiBps: Math.round(mbps(uploadSeconds)),
      cpMiBps: Math.round(mbps(cpSeconds)),
      uploadVsCp: Math.round((cpSeconds / uploadSeconds) * 100) / 100,
    },
    null,
    2
  ) + "\n"
);
rmSync(work, { recursive: true, force: true });
