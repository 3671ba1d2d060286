import { parseEnvelope, type PostEnvelope } from '../envelope.js';
import { jsonDamage } from '../json-damage.js';
import { withoutLease } from '../lease-rules.js';
import { DamagedPostError, StoreError } from '../store-errors.js';
import { readTextQueued, type ReadText } from './small-file.js';
import { isSafeId } from './store-layout.js';

/**
 * The text of a post file: the envelope as compact JSON and a newline,
 * without its lease (that lives in the post's lease file, lease-file.ts, so
 * that renewing it never rewrites the post).
 */
export function postFileText(post: PostEnvelope): string {
  return `${JSON.stringify(withoutLease(post))}\n`;
}

/** Whether a file's text is what a power loss leaves of a write that was not fsynced: nothing, or only zero bytes. */
export function isTornText(text: string): boolean {
  return /^\0*$/.test(text);
}

/**
 * A post file that is empty or only zero bytes: what a power loss leaves of
 * a post file written without fsync (journal-writer.ts). Damage like any
 * other, unless a journal holds the post (post-state.ts): then the journal
 * holds what the file was being written with.
 */
export class TornPostFileError extends DamagedPostError {}

/** Any failure about one post, as a {@link StoreError} for that post (other errors become kind `io`). */
export function asStoreError(postId: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const why = error instanceof Error ? error.message : String(error);
  return new StoreError('io', postId, `could not access post ${postId}: ${why}`);
}

/** Reads one of a post's files (undefined when absent); a failure to read it is a {@link StoreError} about the post. */
export async function readFileOfPost(path: string, postId: string, read: ReadText): Promise<string | undefined> {
  try {
    return await read(path);
  } catch (error) {
    throw asStoreError(postId, error);
  }
}

/**
 * Reads and validates one post file; undefined when it does not exist. The
 * envelope comes back without a lease, whatever the file says: the lease
 * file is the only place a lease is kept.
 * Throws a {@link StoreError}: `corrupt` (a {@link DamagedPostError}; a
 * {@link TornPostFileError} when it is empty or zeroed) for text that is empty, truncated, not JSON, not an envelope, or another
 * post's envelope; `unknown-version` (also a DamagedPostError) for an
 * envelope of another format version; `io` when the file cannot be read.
 * Messages describe the damage and never quote the file's content.
 */
export async function readPostFile(path: string, postId: string, read: ReadText = readTextQueued): Promise<PostEnvelope | undefined> {
  const text = await readFileOfPost(path, postId, read);
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new (isTornText(text) ? TornPostFileError : DamagedPostError)('corrupt', postId, jsonDamage(text, error));
  }
  const post = parseEnvelope(postId, raw);
  if (post.postId !== postId) {
    throw new DamagedPostError('corrupt', postId, `is corrupt: its file holds the envelope of ${isSafeId(post.postId) ? `post ${post.postId}` : 'another post'}`);
  }
  return withoutLease(post);
}
