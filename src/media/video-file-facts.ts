import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PinnedVideoFile } from '../spec/video-file.js';

/**
 * The first box types of an ISO base media file (MP4) or a QuickTime movie
 * (MOV): bytes 4–7 of the file. `ftyp` opens every MP4 and most MOVs; old
 * QuickTime files may open with a movie, data or padding box.
 */
export const MP4_SIGNATURES = new Set(['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/** What igflow found checking a local video file: its pinned form, or what is wrong, in words for the spec's author. */
export type VideoFileCheck = { readonly ok: true; readonly file: PinnedVideoFile } | { readonly ok: false; readonly problem: string };

const describe = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return `cannot be read (${typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)})`;
};

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** The SHA-256 of a file's bytes, read as a stream (never the whole file in memory). */
export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Checks a local video file the way intake and every upload attempt do:
 * it exists and is a readable regular file, it is not empty and not larger
 * than `maxBytes`, it opens like an MP4 or MOV, and (when `expected` pins
 * it) it still has the same size and bytes. Resolves its pinned form: the
 * absolute path (from `cwd`), the size and the SHA-256.
 */
export async function checkVideoFile(path: string, options: { readonly maxBytes: number; readonly cwd?: string; readonly expected?: PinnedVideoFile }): Promise<VideoFileCheck> {
  const absolute = resolve(options.cwd ?? process.cwd(), path);
  let size: number;
  let head: Buffer;
  try {
    const handle = await open(absolute, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) return { ok: false, problem: `${path} is not a regular file` };
      size = stat.size;
      head = Buffer.alloc(12);
      await handle.read(head, 0, 12, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { ok: false, problem: `${path} ${describe(error)}` };
  }
  if (size === 0) return { ok: false, problem: `${path} is empty` };
  if (size > options.maxBytes) return { ok: false, problem: `${path} is ${size} bytes (${megabytes(size)}); Instagram takes at most ${options.maxBytes} bytes (${megabytes(options.maxBytes)}) here` };
  if (!MP4_SIGNATURES.has(head.toString('latin1', 4, 8))) return { ok: false, problem: `${path} is not an MP4 or MOV video (its first bytes say otherwise)` };
  if (options.expected !== undefined && size !== options.expected.size) {
    return { ok: false, problem: `${path} has changed since the post was accepted (${size} bytes, not ${options.expected.size})` };
  }
  let sha256: string;
  try {
    sha256 = await sha256Of(absolute);
  } catch (error) {
    return { ok: false, problem: `${path} ${describe(error)}` };
  }
  if (options.expected !== undefined && sha256 !== options.expected.sha256) return { ok: false, problem: `${path} has changed since the post was accepted (its bytes differ)` };
  return { ok: true, file: { path: absolute, size, sha256 } };
}
