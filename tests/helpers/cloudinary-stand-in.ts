import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export const CLOUD = {
  cloudName: "demo-cloud",
  apiKey: "1234",
  apiSecret: "s3cret",
};

export interface StandInRequest {
  action: string;
  resourceType: string;
  fields: Record<string, string>;
  contentRange?: string;
  uploadId?: string;
  fileBytes: number;
}

/** A self-signed certificate for 127.0.0.1, made with the openssl CLI. */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "stand-in-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { stdio: "ignore" }
    );
    return {
      key: readFileSync(path.join(dir, "key.pem"), "utf8"),
      cert: readFileSync(path.join(dir, "cert.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fields and the file of a multipart body as the SDK writes it. */
function parseMultipart(body: Buffer, boundary: string) {
  const fields: Record<string, string> = {};
  let file = Buffer.alloc(0);
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    const headers = part.subarray(0, split).toString("utf8");
    const value = part.subarray(split + 4);
    const name = /name="([^"]+)"/.exec(headers)?.[1] ?? "";
    if (/filename=/.test(headers)) file = Buffer.from(value);
    else fields[name] = value.toString("utf8");
    start = next;
  }
  return { fields, file };
}

/** Cloudinary's signature: sorted params (not file, api_key, signature), + secret, SHA-1. */
function expectedSignature(fields: Record<string, string>): string {
  const signed = Object.entries(fields)
    .filter(
      ([key, value]) => !["signature", "api_key"].includes(key) && value !== ""
    )
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`.replace(/&/g, "%26"))
    .join("&");
  return createHash("sha1")
    .update(signed + CLOUD.apiSecret)
    .digest("hex");
}

/**
 * A stand-in for Cloudinary's upload API over HTTPS: it checks what the
 * SDK sends (signature, resource type in the path, chunk headers) and
 * answers as Cloudinary documents it. `assets` is what it holds.
 */
export async function startCloudinaryStandIn() {
  const { key, cert } = selfSignedCertificate();
  const requests: StandInRequest[] = [];
  const assets = new Map<string, Buffer>();
  const chunks = new Map<string, Buffer[]>();
  const state = { failUploads: 0, failStatus: 500 };

  const server = https.createServer({ key, cert }, (req, res) => {
    const body: Buffer[] = [];
    req.on("data", (chunk: Buffer) => body.push(chunk));
    req.on("end", () => {
      const answer = (status: number, json: unknown) =>
        res
          .writeHead(status, { "content-type": "application/json" })
          .end(JSON.stringify(json));
      const match =
        /^\/v1_1\/([^/]+)\/(image|video|raw)\/(upload|destroy)$/.exec(
          req.url ?? ""
        );
      const boundary = /boundary=(.+)$/.exec(
        req.headers["content-type"] ?? ""
      )?.[1];
      if (!match || !boundary || match[1] !== CLOUD.cloudName) {
        return answer(404, { error: { message: "no such endpoint" } });
      }
      const [, , resourceType, action] = match as unknown as [
        string,
        string,
        string,
        string,
      ];
      const { fields, file } = parseMultipart(Buffer.concat(body), boundary);
      const contentRange = req.headers["content-range"] as string | undefined;
      const uploadId = req.headers["x-unique-upload-id"] as string | undefined;
      requests.push({
        action,
        resourceType,
        fields,
        contentRange,
        uploadId,
        fileBytes: file.length,
      });
      if (
        fields.api_key !== CLOUD.apiKey ||
        fields.signature !== expectedSignature(fields)
      ) {
        return answer(401, { error: { message: "Invalid Signature" } });
      }
      const publicId = fields.public_id ?? "";
      const assetKey = `${resourceType}:${publicId}`;

      if (action === "destroy") {
        const existed = assets.delete(assetKey);
        return answer(200, { result: existed ? "ok" : "not found" });
      }
      if (state.failUploads > 0) {
        state.failUploads--;
        return answer(state.failStatus, {
          error: { message: "stand-in outage" },
        });
      }
      let content = file;
      if (contentRange) {
        const range = /^bytes (\d+)-(\d+)\/(-?\d+)$/.exec(contentRange);
        if (!range || !uploadId)
          return answer(400, { error: { message: "bad chunk" } });
        const parts = chunks.get(uploadId) ?? [];
        const received = parts.reduce((sum, part) => sum + part.length, 0);
        if (Number(range[1]) !== received) {
          return answer(400, { error: { message: "chunk out of order" } });
        }
        parts.push(file);
        chunks.set(uploadId, parts);
        if (range[3] === "-1") return answer(200, { done: false });
        content = Buffer.concat(parts);
        chunks.delete(uploadId);
      }
      assets.set(assetKey, content);
      return answer(200, {
        public_id: publicId,
        version: 1,
        resource_type: resourceType,
        bytes: content.length,
        ...(resourceType === "video" ? { duration: 99 } : {}),
        url: `http://res.cloudinary.com/${CLOUD.cloudName}/${resourceType}/upload/v1/${publicId}`,
        secure_url: `https://res.cloudinary.com/${CLOUD.cloudName}/${resourceType}/upload/v1/${publicId}`,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    uploadPrefix: `https://127.0.0.1:${port}`,
    agent: new https.Agent({ ca: cert }),
    requests,
    assets,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
