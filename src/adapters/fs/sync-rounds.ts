import { fdatasync, fsync } from 'node:fs';
import { promisify } from 'node:util';
import { fsyncDir } from './fsync-dir.js';

const fsyncFd = promisify(fsync);
const fdatasyncFd = promisify(fdatasync);

/** Fsyncs an open file descriptor (`data`: fdatasync, data and size only) through libuv's pool. */
const syncFd = (fd: number, data: boolean): Promise<void> => (data ? fdatasyncFd(fd) : fsyncFd(fd));

/** Makes writes durable; see {@link syncRounds}. */
export interface Durability {
  /** Resolves once the data of open file `fd` (with `data`: data and size only, as fdatasync) is on disk, as of this call. The caller keeps `fd` open until then. */
  file(fd: number, data?: boolean): Promise<void>;
  /** Resolves once the entries of directory `path` (new names, renames, removals) are on disk, as of this call. */
  dir(path: string): Promise<void>;
}

/** Durability without batching: each call fsyncs at once (for code that runs outside a store). */
export const immediateDurability: Durability = {
  file: (fd, data) => syncFd(fd, data === true),
  dir: fsyncDir,
};

/**
 * No durability: writes are visible (renamed into place) but not fsynced.
 * For lease files only: a lease matters only while its holder runs, and a
 * power loss, the one thing an fsync guards against, ends every holder
 * (lease-file.ts).
 */
export const visibleOnly: Durability = {
  file: () => Promise.resolve(),
  dir: () => Promise.resolve(),
};

/** What {@link syncRounds} returns: a {@link Durability} that batches, and a way to wait for it to be idle. */
export interface SyncRounds extends Durability {
  /** Resolves when no round is running or waiting. */
  idle(): Promise<void>;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit of fsyncs, for one store object. Calls made while no round
 * runs start one at once; calls made while a round runs wait for it and
 * then all go in the next round together, which fsyncs each distinct file
 * descriptor and directory once, all at the same time. A round's fsync may
 * have started before a caller's write, so no call ever joins the round
 * in flight: every promise resolves only after an fsync that began after
 * the call was made. A failed fsync rejects the calls waiting on that file
 * or directory alone.
 *
 * Fifty concurrent writers of fifty files thus wait for about two fsync
 * round trips instead of queueing fifty (or a hundred, with their
 * directories) on libuv's four threads.
 */
export function syncRounds(): SyncRounds {
  let files = new Map<number, { data: boolean; waiters: Waiter[] }>();
  let dirs = new Map<string, Waiter[]>();
  let running: Promise<void> | undefined;

  const settle = async (waiters: readonly Waiter[], sync: () => Promise<void>): Promise<void> => {
    try {
      await sync();
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
  };

  const run = async (): Promise<void> => {
    // first a turn, so that `running` is set before the run may finish
    await Promise.resolve();
    try {
      while (files.size > 0 || dirs.size > 0) {
        const roundFiles = files;
        const roundDirs = dirs;
        files = new Map();
        dirs = new Map();
        await Promise.all([
          ...[...roundFiles].map(([fd, { data, waiters }]) => settle(waiters, () => syncFd(fd, data))),
          ...[...roundDirs].map(([path, waiters]) => settle(waiters, () => fsyncDir(path))),
        ]);
      }
    } finally {
      // synchronously after the last check: a call made from now on starts a new run
      running = undefined;
    }
  };

  const start = (): void => {
    running ??= run();
  };

  return {
    file(fd, data = false) {
      return new Promise<void>((resolve, reject) => {
        const entry = files.get(fd) ?? { data: true, waiters: [] };
        entry.data &&= data;
        entry.waiters.push({ resolve, reject });
        files.set(fd, entry);
        start();
      });
    },
    dir(path) {
      return new Promise<void>((resolve, reject) => {
        const waiters = dirs.get(path) ?? [];
        waiters.push({ resolve, reject });
        dirs.set(path, waiters);
        start();
      });
    },
    async idle() {
      while (running) await running;
    },
  };
}
