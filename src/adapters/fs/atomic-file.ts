import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errno, unlinkQuietly } from './errno.js';
import { immediateDurability, type Durability } from './sync-rounds.js';

/**
 * Crash-safe file writes. Data first goes to a temp file in the target's own
 * directory (`.<name>.<random>.tmp`, which listings ignore) and is fsynced;
 * only then does it get its real name, by an atomic rename or link, and the
 * directory is fsynced so the name survives a power loss. A reader sees the
 * old file or the new one, never a torn one, at any instant.
 *
 * The fsyncs go through a {@link Durability}: a store passes its group
 * commit (sync-rounds.ts), so concurrent writes share their fsync rounds.
 * Everything else (open, write, rename, link, unlink: a few KB and a name
 * in the page cache) runs at once on the calling thread: through libuv's
 * pool each would cost several times the CPU, and wait behind fsyncs.
 */


/** A new temp file's name next to `path`: `.<name>.<12 hex digits>.tmp`. */
const tempFor = (path: string): string => join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);

/** Writes `data` to a new fsynced temp file next to `path` and returns the temp file's path. */
async function writeTemp(path: string, data: string, durability: Durability): Promise<string> {
  const temp = tempFor(path);
  const fd = openSync(temp, 'wx');
  try {
    const bytes = Buffer.from(data, 'utf8');
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    await durability.file(fd);
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(temp);
    throw error;
  }
  closeSync(fd);
  return temp;
}

/**
 * Replaces `path` with `data` atomically (temp + fsync + rename + fsync of
 * the directory). `beforeCommit` runs after the data is on disk and right
 * before the rename; when it throws, nothing is replaced.
 */
export async function writeFileAtomic(path: string, data: string, beforeCommit?: () => void, durability: Durability = immediateDurability): Promise<void> {
  commitTemp(await writeTemp(path, data, durability), path, beforeCommit);
  await durability.dir(dirname(path));
}

/**
 * Creates `path` holding `data` unless it already exists, atomically: the
 * fsynced temp file is hard-linked to `path`, which fails when the name is
 * taken, so of several racing creators (threads or processes) exactly one
 * wins, and nobody ever sees the file empty or half-written (as they could
 * between `open(path, 'wx')` and its write). `beforeCommit` runs right
 * before the link; when it throws, nothing is created. Returns whether this call created it.
 */
export async function createFileExclusive(path: string, data: string, durability: Durability = immediateDurability, beforeCommit?: () => void): Promise<boolean> {
  const temp = await writeTemp(path, data, durability);
  let created = true;
  try {
    beforeCommit?.();
    linkSync(temp, path);
  } catch (error) {
    if (errno(error) !== 'EEXIST') throw error;
    created = false;
  } finally {
    unlinkQuietly(temp);
  }
  if (created) await durability.dir(dirname(path));
  return created;
}

/**
 * Replaces `path` with `data` atomically but without fsync, at once on the
 * calling thread (a temp file, then a rename): every reader sees the old
 * file or the new one, but a power loss may leave either, or an empty
 * file. For files whose loss a power loss makes harmless (lease files) or
 * whose content a journal holds until they are fsynced (post files written
 * from the journal): a few KB written to the page cache take microseconds,
 * while the same through libuv's pool costs several times the CPU and
 * waits behind every fsync in flight. `beforeCommit` as in {@link writeFileAtomic}.
 */
export function writeFileVisible(path: string, data: string, beforeCommit?: () => void): void {
  const temp = tempFor(path);
  writeFileSync(temp, data, { flag: 'wx' });
  commitTemp(temp, path, beforeCommit);
}

/** Renames a written temp file over `path` once `beforeCommit` allows it; when either throws, the temp file goes and `path` is untouched. */
function commitTemp(temp: string, path: string, beforeCommit: (() => void) | undefined): void {
  try {
    beforeCommit?.();
    renameSync(temp, path);
  } catch (error) {
    unlinkQuietly(temp);
    throw error;
  }
}
