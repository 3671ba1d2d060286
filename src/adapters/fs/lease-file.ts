import { Lease } from '../envelope.js';
import { jsonDamage } from '../json-damage.js';
import { DamagedPostError } from '../store-errors.js';
import { writeFileVisible } from './atomic-file.js';
import { unlinkQuietly } from './errno.js';
import { isTornText, readFileOfPost } from './post-file.js';
import { readTextQueued, type ReadText } from './small-file.js';

/**
 * A post's lease file, `posts/<postId>.lease`: JSON `{ owner, token, until }`
 * while a worker holds the post, absent otherwise. It is kept apart from the
 * post file so that a renewal writes these few dozen bytes and never the
 * post's snapshot. Always written under the post's lock, to a temp file
 * renamed into place (every reader sees a whole lease), but never fsynced:
 * a lease matters only while its holder runs, and a power loss, the one
 * thing an fsync guards against, ends every holder. What a power loss may
 * leave (the lease before a claim, a lease given up back in place, an empty
 * or zeroed file) names a process that is gone: it runs out, or is taken
 * over at once. An empty or zeroed lease file is read as no lease; it is
 * never written, only left by a power loss. So claims, renewals and
 * creates pay no fsync for their leases (an fsync of a fresh file holds
 * one of libuv's four threads for a disk round trip).
 */

/** The text of a lease file: compact JSON and a newline. */
export function leaseFileText(lease: Lease): string {
  return `${JSON.stringify({ owner: lease.owner, token: lease.token, until: lease.until })}\n`;
}

/**
 * Reads a post's lease file; undefined when there is none (the post is
 * free). A damaged file is a {@link DamagedPostError} (`corrupt`) about the
 * post, saying what is wrong without quoting the file: nobody can tell who
 * holds such a post, so it is reported rather than guessed free.
 */
export async function readLeaseFile(path: string, postId: string, read: ReadText = readTextQueued): Promise<Lease | undefined> {
  const text = await readFileOfPost(path, postId, read);
  if (text === undefined || isTornText(text)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DamagedPostError('corrupt', postId, `has a damaged lease file (posts/${postId}.lease), which ${jsonDamage(text, error)}`);
  }
  const parsed = Lease.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `at ${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new DamagedPostError('corrupt', postId, `has a damaged lease file (posts/${postId}.lease) of the wrong shape ${where}`);
  }
  return parsed.data;
}

/** Replaces a post's lease file atomically, without fsync (see above); `beforeCommit` as in writeFileAtomic. */
export function writeLeaseFile(path: string, lease: Lease, beforeCommit?: () => void): void {
  writeFileVisible(path, leaseFileText(lease), beforeCommit);
}

/** Removes a post's lease file (none is fine). Not fsynced (see above): after a power loss a released post may come back held by the process that released it, which is gone. */
export function removeLeaseFile(path: string): void {
  unlinkQuietly(path);
}
