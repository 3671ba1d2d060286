import { readFile as readFileCallback, readFileSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import type { z } from 'zod';
import { errno } from './errno.js';

/** fs.readFile, promisified: for thousands of small files it is markedly faster than fs/promises' readFile (fewer round trips to the thread pool). */
const readFile = promisify(readFileCallback);

/** Reads a small file's text; undefined when it does not exist. */
export type ReadText = (path: string) => Promise<string | undefined>;

/** {@link ReadText} through libuv's thread pool: for listings, which read many files at once. */
export const readTextQueued: ReadText = async (path) => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errno(error) === 'ENOENT') return undefined;
    throw error;
  }
};

/**
 * {@link ReadText} at once, on the calling thread: for the one post a write
 * reads under its lock. A post's or lease's file is a few KB in the page
 * cache, read in microseconds, while a trip through libuv's four threads
 * costs several times that in CPU and waits behind every fsync in flight.
 * A missing file is told by a `stat` that does not throw: a post still all
 * in the journal has no post file, and every save would otherwise pay for
 * an ENOENT exception and its stack trace.
 */
export const readTextNow: ReadText = (path) => {
  try {
    if (statSync(path, { throwIfNoEntry: false }) === undefined) return Promise.resolve(undefined);
    return Promise.resolve(readFileSync(path, 'utf8'));
  } catch (error) {
    return errno(error) === 'ENOENT' ? Promise.resolve(undefined) : Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
};

/** A small JSON file's text read with `schema`; undefined when torn or of the wrong shape (a small file is written whole: a bad one counts for nothing). */
export function parseJson<T>(text: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a small JSON file with `schema`; undefined when absent, torn or of the wrong shape (see {@link parseJson}). */
export async function readJson<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const text = await readTextNow(path);
  return text === undefined ? undefined : parseJson(text, schema);
}
