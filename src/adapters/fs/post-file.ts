import { readFile as readFileCallback } from 'node:fs';
import { promisify } from 'node:util';
import { parseEnvelope, type PostEnvelope } from '../envelope.js';
import { jsonDamage } from '../json-damage.js';
import { withoutLease } from '../lease-rules.js';
import { DamagedPostError, StoreError } from '../store-errors.js';
import { errno } from './errno.js';
import { isSafeId } from './store-layout.js';

/** fs.readFile, promisified: for thousands of small files it is markedly faster than fs/promises' readFile (fewer round trips to the thread pool). */
const readFile = promisify(readFileCallback);

/**
 * The text of a post file: the envelope as compact JSON and a newline,
 * without its lease (that lives in the post's lease file, lease-file.ts, so
 * that renewing it never rewrites the post).
 */
export function postFileText(post: PostEnvelope): string {
  return `${JSON.stringify(withoutLease(post))}\n`;
}

/** Any failure about one post, as a {@link StoreError} for that post (other errors become kind `io`). */
export function asStoreError(postId: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const why = error instanceof Error ? error.message : String(error);
  return new StoreError('io', postId, `could not access post ${postId}: ${why}`);
}

/**
 * Reads and validates one post file; undefined when it does not exist. The
 * envelope comes back without a lease, whatever the file says: the lease
 * file is the only place a lease is kept.
 * Throws a {@link StoreError}: `corrupt` (a {@link DamagedPostError}) for
 * text that is empty, truncated, not JSON, not an envelope, or another
 * post's envelope; `unknown-version` (also a DamagedPostError) for an
 * envelope of another format version; `io` when the file cannot be read.
 * Messages describe the damage and never quote the file's content.
 */
export async function readPostFile(path: string, postId: string): Promise<PostEnvelope | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errno(error) === 'ENOENT') return undefined;
    throw asStoreError(postId, error);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DamagedPostError('corrupt', postId, jsonDamage(text, error));
  }
  const post = parseEnvelope(postId, raw);
  if (post.postId !== postId) {
    throw new DamagedPostError('corrupt', postId, `is corrupt: its file holds the envelope of ${isSafeId(post.postId) ? `post ${post.postId}` : 'another post'}`);
  }
  return withoutLease(post);
}
