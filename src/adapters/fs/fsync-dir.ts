import { open } from 'node:fs/promises';
import { errno } from './errno.js';

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
