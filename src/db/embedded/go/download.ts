import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";

const MB = 1024 * 1024;

/**
 * Downloads `url` to `file`, showing progress on stderr: one line redrawn in
 * place on a terminal, a plain line every 10% elsewhere (CI logs).
 */
export async function download(
  url: string,
  file: string,
  label: string
): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || response.body === null)
    throw new Error(`GET ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get("content-length")) || undefined;
  const progress = progressLine(label, total);
  const out = createWriteStream(file);
  let received = 0;
  try {
    for await (const chunk of response.body) {
      received += chunk.length;
      if (!out.write(chunk)) await once(out, "drain");
      progress(received);
    }
  } finally {
    out.end();
    await finished(out);
  }
  progress(received, true);
}

function progressLine(label: string, total: number | undefined) {
  const terminal = process.stderr.isTTY;
  let lastTenth = -1;
  let lastDrawn = 0;
  return (received: number, done = false) => {
    // A redraw per network chunk would flood a slow terminal.
    if (terminal && !done && Date.now() - lastDrawn < 100) return;
    lastDrawn = Date.now();
    const size = `${(received / MB).toFixed(1)}${total ? ` / ${(total / MB).toFixed(1)}` : ""} MB`;
    const percent = total ? Math.floor((received / total) * 100) : undefined;
    const line = `  ${label}: ${size}${percent === undefined ? "" : ` (${percent}%)`}`;
    if (terminal) {
      process.stderr.write(`\r${line}\x1b[K${done ? "\n" : ""}`);
      return;
    }
    const tenth = percent === undefined ? -1 : Math.floor(percent / 10);
    if (tenth > lastTenth || (done && total === undefined)) {
      lastTenth = tenth;
      process.stderr.write(`${line}\n`);
    }
  };
}
