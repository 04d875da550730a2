import { mp4Bytes, pngBytes } from "./media-bytes.js";

/** One request of a traffic mix, sent with fetch to a running server. */
export interface TrafficStep {
  name: string;
  send: (baseUrl: string) => Promise<Response>;
}

export interface Outcome {
  name: string;
  startedAt: number;
  endedAt: number;
  /** 0 when no answer came (the connection failed). */
  status: number;
  body: unknown;
  retryAfter: string | null;
  contentType: string;
  /** The socket error's code when no answer came (ECONNREFUSED, ECONNRESET...). */
  errorCode?: string;
}

export interface Traffic {
  outcomes: Outcome[];
  /** Lets the requests in flight finish, sends no more, and returns every outcome. */
  stop(): Promise<Outcome[]>;
}

const errorCodeOf = (error: unknown): string => {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === "string" ? cause.code : String(error);
};

/** Sends one step and records what came back, whatever came back. */
export async function measure(
  step: TrafficStep,
  baseUrl: string
): Promise<Outcome> {
  const startedAt = Date.now();
  try {
    const response = await step.send(baseUrl);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: kept as text, which the envelope checks then refuse.
    }
    return {
      name: step.name,
      startedAt,
      endedAt: Date.now(),
      status: response.status,
      body,
      retryAfter: response.headers.get("retry-after"),
      contentType: response.headers.get("content-type") ?? "",
    };
  } catch (error) {
    return {
      name: step.name,
      startedAt,
      endedAt: Date.now(),
      status: 0,
      body: undefined,
      retryAfter: null,
      contentType: "",
      errorCode: errorCodeOf(error),
    };
  }
}

/**
 * `workers` clients, each sending the steps in turn (each starting at a
 * different step) until stopped: a steady mix of reads and writes.
 */
export function startTraffic(
  baseUrl: string,
  steps: TrafficStep[],
  workers: number
): Traffic {
  const outcomes: Outcome[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let turn = worker; running; turn++) {
      const step = steps[turn % steps.length] as TrafficStep;
      outcomes.push(await measure(step, baseUrl));
    }
  });
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

/** A multipart form with files, as a browser's FormData sends it. */
export function formWith(
  fields: Record<string, string>,
  files: Record<string, { bytes: Buffer; name: string; type: string }>
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const [name, file] of Object.entries(files))
    form.append(
      name,
      new Blob([new Uint8Array(file.bytes)], { type: file.type }),
      file.name
    );
  return form;
}

/** The form of a publish: `video` as the clip (2 s by default) and a PNG thumbnail. */
export const publishForm = (
  fields: { title: string; description: string },
  video: Buffer = mp4Bytes(2)
) =>
  formWith(fields, {
    videoFile: { bytes: video, name: "clip.mp4", type: "video/mp4" },
    thumbnail: { bytes: pngBytes(), name: "thumb.png", type: "image/png" },
  });

/** The form of an avatar update: `image` (a small PNG by default) as the avatar. */
export const avatarForm = (image: Buffer = pngBytes()) =>
  formWith(
    {},
    { avatar: { bytes: image, name: "avatar.png", type: "image/png" } }
  );
