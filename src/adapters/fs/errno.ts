import { unlinkSync } from 'node:fs';

/** The `code` of a Node system error (`ENOENT`, `EEXIST`…), or undefined for other values. */
export function errno(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** Rethrows `error` unless it says the file does not exist. */
export function ignoreMissing(error: unknown): void {
  if (errno(error) !== 'ENOENT') throw error;
}

/** Unlinks `path` at once; gone already is fine. */
export function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    ignoreMissing(error);
  }
}
