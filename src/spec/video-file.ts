import { z } from 'zod';

/**
 * A local video file, as a spec gives it: a path (relative to the working
 * directory of the process that accepts the post), or the pinned form
 * igflow stores once it has checked the file: the absolute path, its size
 * and the SHA-256 of its bytes. A spec may give the pinned form itself, to
 * say "exactly these bytes": igflow then refuses a file that differs. Only
 * with Facebook Login (docs/graph-api.md#resumable-upload).
 */
export const VideoFile = z.union(
  [
    z.string().min(1, { error: 'videoFile must not be empty' }),
    z.strictObject({
      path: z.string().min(1, { error: 'videoFile.path must not be empty' }),
      size: z.int({ error: 'videoFile.size must be a whole number of bytes' }).positive(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'videoFile.sha256 must be 64 lowercase hex digits' }),
    }),
  ],
  { error: 'videoFile must be a file path (or { path, size, sha256 })' },
);
/** A local video file: a path, or the pinned `{ path, size, sha256 }`. */
export type VideoFile = z.infer<typeof VideoFile>;
/** The pinned form of a {@link VideoFile}: what igflow stores after checking the file at intake. */
export type PinnedVideoFile = Exclude<VideoFile, string>;

/** The path of a video file in either form. */
export function videoFilePath(file: VideoFile): string {
  return typeof file === 'string' ? file : file.path;
}
