import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoredEnvelopeOptions } from '../stored-envelope.js';
import { fsyncDir } from './atomic-file.js';
import { withFileLock } from './file-lock.js';
import { keyedMutex } from './keyed-mutex.js';
import { asStoreError } from './post-file.js';
import { assertSafePostId, storeLayout, type StoreLayout } from './store-layout.js';

/** What the parts of one file store (posts, queue, ledger) share. */
export interface FileStoreContext {
  readonly layout: StoreLayout;
  /** How envelopes are written (compaction of finished posts). */
  readonly envelopes: StoredEnvelopeOptions;
  /** How old (ms) a lock or temp file must be to count as left by a crashed process. */
  readonly staleMs: number;
  /** Creates the store's directories once (again after a failure); reads never call it, so reading creates nothing. */
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
}

/** The shared context of a file store over `dir`. */
export function fileStoreContext(dir: string, options: { readonly compactFinished: boolean; readonly staleMs: number }): FileStoreContext {
  const layout = storeLayout(dir);
  const lockOptions = { staleMs: options.staleMs, timeoutMs: options.staleMs * 6 };
  const queue = keyedMutex();
  let made: Promise<void> | undefined;

  const ready = (): Promise<void> => {
    made ??= (async () => {
      for (const sub of [layout.posts, layout.keys, layout.ledger]) await mkdir(sub, { recursive: true });
      await fsyncDir(dir);
      await fsyncDir(dirname(dir));
    })().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };

  return {
    layout,
    envelopes: { compactFinished: options.compactFinished },
    staleMs: options.staleMs,
    ready,
    async locked(postId, work) {
      assertSafePostId(postId);
      try {
        await ready();
        return await queue(postId, () => withFileLock(layout.lockFile(postId), lockOptions, work));
      } catch (error) {
        throw asStoreError(postId, error);
      }
    },
  };
}
