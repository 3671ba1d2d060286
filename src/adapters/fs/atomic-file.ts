import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errno, ignoreMissing } from './errno.js';

/**
 * Crash-safe file writes. Data first goes to a temp file in the target's own
 * directory (`.<name>.<random>.tmp`, which listings ignore) and is fsynced;
 * only then does it get its real name, by an atomic rename or link, and the
 * directory is fsynced so the name survives a power loss. A reader sees the
 * old file or the new one, never a torn one, at any instant.
 */

/** Flushes a directory's entries (new names, renames) to disk; a no-op where directories cannot be fsynced. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EACCES', 'ENOTSUP'].includes(errno(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/** Writes `data` to a new fsynced temp file next to `path` and returns the temp file's path. */
async function writeTemp(path: string, data: string): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(ignoreMissing);
    throw error;
  }
  await handle.close();
  return temp;
}

/**
 * Replaces `path` with `data` atomically (temp + fsync + rename + fsync of
 * the directory). `beforeCommit` runs after the data is on disk and right
 * before the rename; when it throws, nothing is replaced.
 */
export async function writeFileAtomic(path: string, data: string, beforeCommit?: () => void): Promise<void> {
  const temp = await writeTemp(path, data);
  try {
    beforeCommit?.();
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(ignoreMissing);
    throw error;
  }
  await fsyncDir(dirname(path));
}

/**
 * Creates `path` holding `data` unless it already exists, atomically: the
 * fsynced temp file is hard-linked to `path`, which fails when the name is
 * taken, so of several racing creators (threads or processes) exactly one
 * wins, and nobody ever sees the file empty or half-written (as they could
 * between `open(path, 'wx')` and its write). Returns whether this call created it.
 */
export async function createFileExclusive(path: string, data: string): Promise<boolean> {
  const temp = await writeTemp(path, data);
  let created = true;
  try {
    await link(temp, path);
  } catch (error) {
    if (errno(error) !== 'EEXIST') throw error;
    created = false;
  } finally {
    await unlink(temp).catch(ignoreMissing);
  }
  if (created) await fsyncDir(dirname(path));
  return created;
}
