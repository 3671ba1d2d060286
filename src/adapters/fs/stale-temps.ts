import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { forEachBounded } from './bounded-map.js';

/** The name of a write's temp file (atomic-file.ts): `.<name>.<12 hex digits>.tmp`. */
const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** Whether `name` is the name of a write's temp file (see atomic-file.ts). */
export function isTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Removes the temp files among `names` (entries of `dir`) last modified at
 * least `staleMs` ago: leftovers of writes whose process was killed
 * mid-way, which nothing else would ever remove. A younger one may be a
 * write in flight in another process and is left alone (a writer finishes
 * within `staleMs / 2` or gives up: fs/file-lock.ts). Only the temp files
 * are looked at (one stat each), so a directory without any costs nothing
 * but the name test. Best effort: a file that vanished or cannot be
 * removed is skipped. Resolves to how many were removed.
 */
export async function removeStaleTemps(dir: string, names: readonly string[], staleMs: number): Promise<number> {
  const temps = names.filter(isTempName);
  let removed = 0;
  await forEachBounded(temps, 8, async (name) => {
    const path = join(dir, name);
    try {
      if (Date.now() - (await stat(path)).mtimeMs < staleMs) return;
      await unlink(path);
      removed++;
    } catch {
      // gone already (its write finished, or another process swept it), or not ours to remove
    }
  });
  return removed;
}

/** {@link removeStaleTemps} over every entry of `dir` (none when it does not exist). */
export async function removeStaleTempsIn(dir: string, staleMs: number): Promise<number> {
  const names = await readdir(dir).catch((): string[] => []);
  return removeStaleTemps(dir, names, staleMs);
}
