import { hostname } from 'node:os';

/** Who holds a lock, written into it: read once, since `hostname()` is a system call. */
const HOLDER = `${process.pid}@${hostname()}\n`;
import { writeFileSync } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { errno, ignoreMissing, unlinkQuietly } from './errno.js';

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** A lock file older than this (by its mtime) was left by a crashed process and is broken. */
  readonly staleMs: number;
  /** Give up waiting for the lock after this long. */
  readonly timeoutMs: number;
}

/** The lock could not be taken in time, or could not be held long enough to finish the work. */
export class FileLockError extends Error {
  override readonly name = 'FileLockError';
}

/** Thrown by `assertHeld` when the holder ran out of its time budget; the work is retried. */
class LockBudgetSpent extends Error {}

/**
 * Runs `work` holding an exclusive lock shared by every process on this
 * machine that uses the same `lockPath`.
 *
 * How it works:
 * - Taking: create `lockPath` with the exclusive `wx` flag (it holds the pid
 *   and host, for humans). The creator holds the lock; others poll with a
 *   short, growing, jittered delay.
 * - Releasing: the holder unlinks the file.
 * - Crash recovery: a lock file whose mtime is `staleMs` old was left by a
 *   dead process. A waiter breaks it while holding `<lockPath>.break`
 *   (itself taken with `wx`, so breakers go one at a time), re-checking
 *   under it that the lock is still stale before unlinking it.
 * - Why a live lock is never broken: holders stay far from staleness. A
 *   holder only commits (`assertHeld`, called right before the write's
 *   rename) and only unlinks its lock while it has held it for less than
 *   `staleMs / 2`; past that it abandons the attempt (the lock then goes
 *   stale and is broken) and `work` is retried under a new lock. So a file
 *   old enough to be broken has no holder that will still act on it, and a
 *   fresh one can only be removed by its holder.
 * - The one assumption: no process stalls for more than `staleMs / 2`
 *   between its check and its next file operation (the usual lease
 *   assumption), and the local clock does not jump by that much.
 *
 * `work` must be safe to run again from the start until it commits.
 */
export async function withFileLock<T>(lockPath: string, options: FileLockOptions, work: (assertHeld: () => void) => Promise<T>): Promise<T> {
  const budget = options.staleMs / 2;
  for (let attempt = 1; ; attempt++) {
    const takenAt = await acquire(lockPath, options);
    const withinBudget = (): boolean => Date.now() - takenAt < budget;
    try {
      return await work(() => {
        if (!withinBudget()) throw new LockBudgetSpent();
      });
    } catch (error) {
      if (!(error instanceof LockBudgetSpent)) throw error;
      if (attempt >= 3) throw new FileLockError(`held ${lockPath} too long (over ${budget} ms) ${attempt} times in a row; the disk is too slow`);
    } finally {
      if (withinBudget()) unlinkQuietly(lockPath);
    }
  }
}


/** Takes the lock, breaking a stale one; returns when it was taken (a little early, to be safe). */
async function acquire(lockPath: string, { staleMs, timeoutMs }: FileLockOptions): Promise<number> {
  const start = Date.now();
  for (let delay = 1; ; delay = Math.min(delay * 2, 25)) {
    const takenAt = Date.now();
    if (createExclusive(lockPath, HOLDER)) return takenAt;
    await breakIfStale(lockPath, staleMs);
    if (Date.now() - start > timeoutMs) throw new FileLockError(`timed out after ${timeoutMs} ms waiting for ${lockPath}`);
    await sleep(delay * (1 + Math.random()));
  }
}

/** Unlinks `lockPath` if it is stale, one breaker at a time (see {@link withFileLock}). */
async function breakIfStale(lockPath: string, staleMs: number): Promise<void> {
  if (!(await isStale(lockPath, staleMs))) return;
  const breaker = `${lockPath}.break`;
  const takenAt = Date.now();
  if (!createExclusive(breaker, '')) {
    // Another process is breaking it, or died doing so long ago.
    if (await isStale(breaker, staleMs)) await unlink(breaker).catch(ignoreMissing);
    return;
  }
  const withinBudget = (): boolean => Date.now() - takenAt < staleMs / 2;
  try {
    if ((await isStale(lockPath, staleMs)) && withinBudget()) await unlink(lockPath).catch(ignoreMissing);
  } finally {
    if (withinBudget()) await unlink(breaker).catch(ignoreMissing);
  }
}

/**
 * Creates `path` with the `wx` flag; false when it exists. At once, on the
 * calling thread: creating a tiny file in the page cache takes microseconds,
 * and every write of the store takes and releases a lock (through libuv's
 * pool, the pair cost about twice the CPU and waited behind fsyncs).
 */
function createExclusive(path: string, data: string): boolean {
  try {
    writeFileSync(path, data, { flag: 'wx' });
    return true;
  } catch (error) {
    if (errno(error) === 'EEXIST') return false;
    throw error;
  }
}

/** Whether `path` exists and was last modified at least `staleMs` ago. */
async function isStale(path: string, staleMs: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs >= staleMs;
  } catch (error) {
    ignoreMissing(error);
    return false;
  }
}
