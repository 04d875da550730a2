import { open, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Request } from "express";
import multer from "multer";
import { ApiError } from "../ApiError.js";
import type { MediaKind } from "../storage/types.js";
import {
  SNIFF_BYTES,
  acceptedTypes,
  sniffMedia,
  type SniffedType,
} from "./sniff.js";
import { randomTempName } from "./temp-files.js";

/** What the engine adds to each multer file object. */
export interface TempFileInfo {
  destination: string;
  filename: string;
  path: string;
  size: number;
  mediaKind: MediaKind;
  sniffed: SniffedType;
}

export interface TempFileEngineOptions {
  dir: string;
  kindOf: (field: string) => MediaKind | undefined;
  maxBytes: (kind: MediaKind) => number;
  /** Every temp path created for a request, so the request can remove them all. */
  track: (req: Request, file: string) => void;
}

/**
 * Writes one uploaded file to the temp folder, checking it as it arrives:
 * the first bytes are sniffed before anything is written (415 for a type the
 * field does not accept), and the size per kind is counted (multer's own
 * fileSize limit is one number for the whole request).
 */
class TempFileSink extends Writable {
  private head: Buffer[] = [];
  private headBytes = 0;
  private handle?: FileHandle;
  bytes = 0;
  sniffed?: SniffedType;
  filePath?: string;

  constructor(
    private readonly options: TempFileEngineOptions,
    private readonly req: Request,
    private readonly field: string,
    private readonly kind: MediaKind
  ) {
    super({ highWaterMark: 1024 * 1024 });
  }

  override _writev(
    chunks: { chunk: Buffer }[],
    callback: (error?: Error | null) => void
  ): void {
    this.accept(chunks.map(({ chunk }) => chunk)).then(
      () => callback(),
      callback
    );
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void
  ): void {
    this.accept([chunk]).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.finish().then(() => callback(), callback);
  }

  override _destroy(
    error: Error | null,
    callback: (error?: Error | null) => void
  ): void {
    const handle = this.handle;
    this.handle = undefined;
    void (handle ? handle.close() : Promise.resolve())
      .catch(() => undefined)
      .then(() => callback(error));
  }

  private async accept(chunks: Buffer[]): Promise<void> {
    for (const chunk of chunks) this.bytes += chunk.length;
    if (this.bytes > this.options.maxBytes(this.kind)) {
      throw new multer.MulterError("LIMIT_FILE_SIZE", this.field);
    }
    if (this.handle) {
      await this.handle.writev(chunks);
      return;
    }
    this.head.push(...chunks);
    this.headBytes += chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    if (this.headBytes >= SNIFF_BYTES) await this.openAfterSniff();
  }

  private async finish(): Promise<void> {
    if (!this.handle) {
      if (this.headBytes === 0) {
        // Nothing to sniff is no image or video: the same 415 as any content
        // that is not what the field takes.
        throw new ApiError(415, "The uploaded file is empty", [
          { path: this.field, message: "Empty file" },
        ]);
      }
      await this.openAfterSniff();
    }
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async openAfterSniff(): Promise<void> {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.sniffed = await sniffMedia(head, this.kind);
    if (!this.sniffed) {
      throw new ApiError(
        415,
        `Unsupported ${this.kind} type: send ${acceptedTypes(this.kind).join(", ")}`,
        [{ path: this.field, message: "Unsupported file type" }]
      );
    }
    this.filePath = path.join(
      this.options.dir,
      randomTempName(this.sniffed.ext)
    );
    // Tracked before it exists, so an abort at any point still removes it.
    this.options.track(this.req, this.filePath);
    this.handle = await open(this.filePath, "wx", 0o600);
    await this.handle.write(head);
  }
}

export function tempFileEngine(
  options: TempFileEngineOptions
): multer.StorageEngine {
  return {
    _handleFile(req, file, callback) {
      const kind = options.kindOf(file.fieldname);
      if (!kind) {
        callback(
          new multer.MulterError("LIMIT_UNEXPECTED_FILE", file.fieldname)
        );
        return;
      }
      const sink = new TempFileSink(options, req, file.fieldname, kind);
      // A client that goes away mid-file leaves busboy's file stream open
      // forever; end the write here so the file handle is closed.
      const onClose = () => {
        if (!req.readableEnded) sink.destroy(new Error("Request closed"));
      };
      req.once("close", onClose);
      pipeline(file.stream, sink).then(
        () => {
          req.off("close", onClose);
          const info: TempFileInfo = {
            destination: options.dir,
            filename: path.basename(sink.filePath as string),
            path: sink.filePath as string,
            size: sink.bytes,
            mediaKind: kind,
            sniffed: sink.sniffed as SniffedType,
          };
          callback(null, info);
        },
        async (error: Error) => {
          req.off("close", onClose);
          if (sink.filePath)
            await rm(sink.filePath, { force: true }).catch(() => undefined);
          callback(error);
        }
      );
    },
    _removeFile(_req, file, callback) {
      rm(file.path, { force: true }).then(() => callback(null), callback);
    },
  };
}
