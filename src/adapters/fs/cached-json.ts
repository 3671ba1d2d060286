import { close as closeLater, closeSync, fstatSync, openSync, readFileSync, statSync, type BigIntStats } from 'node:fs';
import type { z } from 'zod';
import { errno } from './errno.js';
import { parseJson } from './small-file.js';

/** A small JSON file's content, read again only once the file was replaced; see {@link cachedJson}. */
export interface CachedJson<T> {
  /** The file's content as {@link parseJson} reads it; undefined when absent, torn or of the wrong shape. */
  read(): T | undefined;
  /** Closes the file it holds open; a read after it opens it again. */
  close(): Promise<void>;
}

/** Whether two stats are of the same version of a file: same inode, and nothing about it changed since. */
const sameVersion = (a: BigIntStats, b: BigIntStats): boolean =>
  a.ino === b.ino && a.dev === b.dev && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;

/**
 * A small JSON file written only by replacing it whole (a temp file renamed
 * over it, atomic-file.ts), read through one `stat` while it was not
 * replaced: much cheaper than a read, a JSON parse and a zod check. The
 * version read is kept open, so its inode cannot be freed and handed to a
 * later version: a file at the path with that inode *is* that version,
 * however fast the writes come (mtimes are only as fine as the kernel's
 * clock tick, and two versions may have one size). Size and times are
 * compared too, for a file written in place by hand. Other processes'
 * writes are seen at the next read, as with no cache.
 */
export function cachedJson<T>(path: string, schema: z.ZodType<T>): CachedJson<T> {
  let held: { readonly fd: number; readonly stats: BigIntStats; readonly value: T | undefined } | undefined;
  /**
   * Lets go of the version held, in libuv's pool: closing the last open
   * file of a replaced version frees its inode, about 100 µs on ext4 (the
   * rename pays it when nobody holds the file), too much for a read before
   * a Graph call.
   */
  const letGo = (): Promise<void> => {
    const fd = held?.fd;
    held = undefined;
    return new Promise((resolve) => (fd === undefined ? resolve() : closeLater(fd, () => resolve())));
  };
  /** Opens the version at `path` now; undefined when there is none (replaced by nothing in between). */
  const open = (): number | undefined => {
    try {
      return openSync(path, 'r');
    } catch (error) {
      if (errno(error) === 'ENOENT') return undefined;
      throw error;
    }
  };
  return {
    read() {
      const now = statSync(path, { bigint: true, throwIfNoEntry: false });
      if (held !== undefined && now !== undefined && sameVersion(held.stats, now)) return held.value;
      const fd = now === undefined ? undefined : open();
      void letGo();
      if (fd === undefined) return undefined;
      try {
        // the stats of what is read, taken first: a change after them shows at the next read
        const stats = fstatSync(fd, { bigint: true });
        held = { fd, stats, value: parseJson(readFileSync(fd, 'utf8'), schema) };
        return held.value;
      } catch (error) {
        closeSync(fd);
        throw error;
      }
    },
    close: letGo,
  };
}
