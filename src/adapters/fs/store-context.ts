import { closeSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoredEnvelopeOptions } from '../stored-envelope.js';
import { forEachBounded } from './bounded-map.js';
import { withFileLock } from './file-lock.js';
import { fsyncDir } from './fsync-dir.js';
import { journalIndex, type JournalIndex } from './journal-index.js';
import { journalWriter, type JournalWriter } from './journal-writer.js';
import { keyedMutex } from './keyed-mutex.js';
import { asStoreError } from './post-file.js';
import { assertSafePostId, storeLayout, type StoreLayout } from './store-layout.js';
import { syncRounds, type SyncRounds } from './sync-rounds.js';

/** What the parts of one file store (posts, queue, ledger) share. */
export interface FileStoreContext {
  readonly layout: StoreLayout;
  /** How envelopes are written (compaction of finished posts). */
  readonly envelopes: StoredEnvelopeOptions;
  /** How old (ms) a lock or temp file must be to count as left by a crashed process. */
  readonly staleMs: number;
  /** The group commit every fsync of this store goes through (sync-rounds.ts). */
  readonly durability: SyncRounds;
  /** This store object's journal (journal-writer.ts). */
  readonly journal: JournalWriter;
  /** Every journal of the directory, this one's included (journal-index.ts). */
  readonly index: JournalIndex;
  /**
   * Creates the store's directories once (again after a failure); reads
   * never call it, so reading creates nothing. The first time it succeeds
   * it also starts sweeping the journals of dead processes in the
   * background (see {@link fileStoreContext}).
   */
  ready(): Promise<void>;
  /**
   * Runs `work` holding the post's lock: an in-process queue per post, then
   * the cross-process lock file of file-lock.ts, so that one read-check-write
   * of the post runs at a time across processes. `work` gets `assertLocked`,
   * to call right before each commit (it throws once the lock was held too
   * long, and `work` is then run again from the start). Refuses unsafe post
   * ids; every failure comes out as a StoreError for the post.
   */
  locked<T>(postId: string, work: (assertLocked: () => void) => Promise<T>): Promise<T>;
  /** {@link locked} for an idempotency key (`keys/<sha256>.lock`), held by the creates of that key; failures come out as StoreErrors for `postId`. */
  lockedKey<T>(key: string, postId: string, work: (assertLocked: () => void) => Promise<T>): Promise<T>;
  /** {@link locked} for any lock file of the store (an account's ledger, the brakes); failures come out as StoreErrors for `postId`. */
  lockedFile<T>(lockFile: string, postId: string, work: (assertLocked: () => void) => Promise<T>): Promise<T>;
  /** Waits for the background sweep (if one runs) and closes the journal's files; a write after it opens them again. */
  close(): Promise<void>;
}

/** Options of {@link fileStoreContext}. */
export interface FileStoreContextOptions {
  readonly compactFinished: boolean;
  readonly staleMs: number;
  /** Runs once in the background after the directories first exist: the sweep of dead processes' journals (compaction.ts). Its failures are ignored (the next store object tries again). */
  readonly recover?: (ctx: FileStoreContext) => Promise<void>;
  /** The journal's rotation size (journal-writer.ts), for tests. */
  readonly journalRotateBytes?: number;
  /** How long a post file written without fsync waits for its fsync (journal-writer.ts), for tests. */
  readonly journalSyncAfterMs?: number;
}

/** The shared context of a file store over `dir`. */
export function fileStoreContext(dir: string, options: FileStoreContextOptions): FileStoreContext {
  const layout = storeLayout(dir);
  const lockOptions = { staleMs: options.staleMs, timeoutMs: options.staleMs * 6 };
  const postQueue = keyedMutex();
  const keyQueue = keyedMutex();
  const fileQueue = keyedMutex();
  const durability = syncRounds();
  /** Fsyncs post files written without fsync (the journal held their content meanwhile), then their directory. */
  const syncPostFiles = async (postIds: readonly string[]): Promise<string[]> => {
    const done: string[] = [];
    await forEachBounded(postIds, 16, async (postId) => {
      try {
        const fd = openSync(layout.postFile(postId), 'r');
        try {
          await durability.file(fd);
        } finally {
          closeSync(fd);
        }
        done.push(postId);
      } catch {
        // kept pending: tried again at the next batch, or left to whoever sweeps this journal
      }
    });
    if (done.length > 0) await durability.dir(layout.posts);
    return done;
  };
  const journal = journalWriter(layout.journal, { durability, syncPostFiles, rotateBytes: options.journalRotateBytes, syncAfterMs: options.journalSyncAfterMs });
  const index = journalIndex(layout.journal, journal);
  let made: Promise<void> | undefined;
  let recovery: Promise<void> | undefined;

  const ready = (): Promise<void> => {
    made ??= (async () => {
      for (const sub of [layout.posts, layout.keys, layout.ledger, layout.journal, layout.outbox]) await mkdir(sub, { recursive: true });
      await fsyncDir(dir);
      await fsyncDir(dirname(dir));
      recovery ??= Promise.resolve()
        .then(() => options.recover?.(ctx))
        .catch(() => undefined);
    })().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };

  const ctx: FileStoreContext = {
    layout,
    envelopes: { compactFinished: options.compactFinished },
    staleMs: options.staleMs,
    durability,
    journal,
    index,
    ready,
    async locked(postId, work) {
      assertSafePostId(postId);
      try {
        await ready();
        return await postQueue(postId, () => withFileLock(layout.lockFile(postId), lockOptions, work));
      } catch (error) {
        throw asStoreError(postId, error);
      }
    },
    async lockedKey(key, postId, work) {
      try {
        await ready();
        const lockFile = layout.keyLockFile(key);
        return await keyQueue(lockFile, () => withFileLock(lockFile, lockOptions, work));
      } catch (error) {
        throw asStoreError(postId, error);
      }
    },
    async lockedFile(lockFile, postId, work) {
      try {
        await ready();
        return await fileQueue(lockFile, () => withFileLock(lockFile, lockOptions, work));
      } catch (error) {
        throw asStoreError(postId, error);
      }
    },
    async close() {
      await recovery;
      await journal.close();
      await durability.idle();
    },
  };
  return ctx;
}
