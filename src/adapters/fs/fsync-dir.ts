import { closeSync, fsync, openSync } from 'node:fs';
import { promisify } from 'node:util';
import { errno } from './errno.js';

const fsyncFd = promisify(fsync);

/** The errors of a filesystem where directories cannot be opened or fsynced: the fsync is then a no-op. */
const UNSUPPORTED = ['EISDIR', 'EPERM', 'EINVAL', 'EACCES', 'ENOTSUP'];

/**
 * Flushes a directory's entries (new names, renames) to disk; a no-op where
 * directories cannot be fsynced. The directory is opened and closed on the
 * calling thread (microseconds); only the fsync goes through libuv's pool.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (error) {
    if (UNSUPPORTED.includes(errno(error) ?? '')) return;
    throw error;
  }
  try {
    await fsyncFd(fd);
  } catch (error) {
    if (!UNSUPPORTED.includes(errno(error) ?? '')) throw error;
  } finally {
    closeSync(fd);
  }
}
