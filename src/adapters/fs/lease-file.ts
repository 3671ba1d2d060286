import { readFile as readFileCallback } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { Lease } from '../envelope.js';
import { jsonDamage } from '../json-damage.js';
import { DamagedPostError } from '../store-errors.js';
import { fsyncDir, writeFileAtomic } from './atomic-file.js';
import { errno, ignoreMissing } from './errno.js';
import { asStoreError } from './post-file.js';

/** fs.readFile, promisified: faster than fs/promises' for small files (see post-file.ts); a listing may read thousands. */
const readFile = promisify(readFileCallback);

/**
 * A post's lease file, `posts/<postId>.lease`: JSON `{ owner, token, until }`
 * while a worker holds the post, absent otherwise. It is kept apart from the
 * post file so that a renewal writes these few dozen bytes and never the
 * post's snapshot. Written like every other file of the store (temp file,
 * fsync, rename, fsync of the directory), and always under the post's lock.
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
export async function readLeaseFile(path: string, postId: string): Promise<Lease | undefined> {
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
    throw new DamagedPostError('corrupt', postId, `has a damaged lease file (posts/${postId}.lease), which ${jsonDamage(text, error)}`);
  }
  const parsed = Lease.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `at ${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new DamagedPostError('corrupt', postId, `has a damaged lease file (posts/${postId}.lease) of the wrong shape ${where}`);
  }
  return parsed.data;
}

/** Replaces a post's lease file atomically; `beforeCommit` as in {@link writeFileAtomic}. */
export function writeLeaseFile(path: string, lease: Lease, beforeCommit?: () => void): Promise<void> {
  return writeFileAtomic(path, leaseFileText(lease), beforeCommit);
}

/** Removes a post's lease file (none is fine), durably: the directory is fsynced, so a released post does not come back held after a power loss. */
export async function removeLeaseFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    ignoreMissing(error);
    return;
  }
  await fsyncDir(dirname(path));
}
