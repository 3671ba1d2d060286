import { createHash, type Hash } from 'node:crypto';
import type { ContainerRecord } from './record.js';
import type { UploadRecord } from './upload-record.js';

/**
 * The server side of one resumable container's upload: the running sha256
 * of the bytes received so far (bytes always arrive in order, so one
 * incremental hash covers every attempt and no byte is ever buffered) and
 * whether an attempt is streaming right now. What tests may read lives in
 * the container's {@link UploadRecord}.
 */
export class UploadSession {
  private readonly hash: Hash = createHash('sha256');
  /** An attempt is reading its body: a second one is refused meanwhile. */
  busy = false;

  constructor(
    readonly container: ContainerRecord,
    readonly upload: UploadRecord,
  ) {}

  /** Appends bytes at the end of the received content. */
  append(chunk: Buffer): void {
    this.hash.update(chunk);
    this.upload.received += chunk.length;
  }

  /** Whether every declared byte is in (a `file_url` upload counts once its fetch ends). */
  completeAt(now: number): boolean {
    return this.upload.completedAt !== undefined && this.upload.completedAt <= now;
  }

  /** Marks a bytes upload complete now: the sha256 is sealed and processing starts. */
  completeBytes(now: number, seq: number): void {
    if (this.upload.completedAt !== undefined) return;
    this.upload.sha256 = this.hash.digest('hex');
    this.finish(now, seq);
  }

  /** Marks a `file_url` upload complete once its (simulated) fetch ends at `at`. */
  completeFromUrl(url: string, at: number, seq: number): void {
    if (this.upload.completedAt !== undefined) return;
    this.upload.fileUrl = url;
    this.finish(at, seq);
  }

  /** Kills the session after a fatal failure: later uploads are refused and the container reads ERROR. */
  fail(now: number, type: string, message: string): void {
    this.upload.failed ??= { at: now, type, message };
  }

  private finish(at: number, seq: number): void {
    this.upload.completedAt = at;
    this.upload.completedBy = seq;
    this.container.readyAt = at + this.upload.processingMs;
  }
}
