import { compactOnClose, sweepDeadJournals } from './fs/compaction.js';
import { fileBrakes } from './fs/file-brakes.js';
import { fileLedger } from './fs/file-ledger.js';
import { fileOutbox } from './fs/file-outbox.js';
import { filePosts } from './fs/file-posts.js';
import { fileQueue } from './fs/file-queue.js';
import { fileStoreContext } from './fs/store-context.js';
import type { Store } from './store.js';

/** Options of {@link fileStore}. */
export interface FileStoreOptions {
  /** Drop the XState snapshot of a post once it is `published` or `failed`, so finished posts stay small. Default true. */
  readonly compactFinished?: boolean;
  /**
   * A per-post lock file this old (ms) was left by a crashed process and is
   * broken; a write's temp file this old was left by a killed process and
   * is removed. Default 5,000. Every process sharing the directory must use the same value.
   */
  readonly staleLockMs?: number;
  /** The size (bytes) past which the journal starts a new file (default 1 MiB); for tests. */
  readonly journalRotateBytes?: number;
}

/**
 * The default {@link Store} (the CLI's `./.igflow`): plain files, safe to
 * share between processes on one machine and to kill at any instant.
 *
 * Layout under `dir` (directories are created on first write; reading
 * creates nothing):
 * - `posts/<postId>.json`: one envelope per post, compact JSON, without its
 *   lease. Post ids must match `[A-Za-z0-9._-]{1,200}` (others are refused
 *   with a StoreError).
 * - `posts/<postId>.lease`: the post's lease, JSON `{ owner, token, until }`,
 *   while a worker holds the post (fs/lease-file.ts). A claim and a renewal
 *   write this file alone, never the post's snapshot.
 * - `journal/<pid>-<random>.<n>.log`: the journal of each store object
 *   writing the directory (fs/journal-writer.ts): its creates, and every
 *   content write of the posts it holds, in checksummed frames, one
 *   fdatasync per batch of concurrent writes. A post given up (parked,
 *   finished, released), or created unclaimed, is written to its post
 *   file; a store that closes writes out the rest and removes its journal,
 *   so a store at rest is files alone, readable by an older igflow.
 *   Readers merge the journals with the files, newest version first
 *   (fs/post-state.ts); journals of processes that died are written out
 *   and removed by the next store that writes (fs/compaction.ts).
 * - `posts/<postId>.lock` (and `.lock.break`) exist while a write to the
 *   post is under way (`keys/<sha256(key)>.lock` while a post is created
 *   with that key); `.<name>.<random>.tmp` files are writes in flight,
 *   or leftovers of a crash. Listings ignore both, and remove the temp files
 *   that are `staleLockMs` old (those of `keys/` too, once per store
 *   object): a kill mid-write would otherwise leave them forever.
 * - `keys/<sha256(key)>`: the idempotency-key index, JSON `{ key, postId }`
 *   (plus the first envelope, in a store written by an older igflow whose
 *   create was cut short).
 * - `ledger/<account>.jsonl`: the account's publishes, one JSON line each
 *   (`~<sha256(account)>.jsonl` for an account id that is not a safe name);
 *   `ledger/<account>.containers.jsonl` its container creations,
 *   `ledger/<account>.reservations.json` its publishes under way, both
 *   written under `ledger/<account>.lock` (fs/file-ledger.ts).
 * - `brakes.json`: the shared throttle brakes (fs/file-brakes.ts); each
 *   store object holds open the version it last read (fs/cached-json.ts).
 * - `outbox/<postId>.json` (`.delivery`, `.done`): the outbox of finished
 *   posts, its marker written durably before the finish commits, and the
 *   state of its webhook delivery (fs/file-outbox.ts).
 *
 * Crash safety: every post, lease and key file write goes to a temp file in
 * the same directory, then takes its name by rename (replace) or hard link
 * (create only if absent): a reader sees the old file or the new one, never
 * a torn one. What makes a write durable before it resolves is the journal
 * (for saves, creates and give-ups: one fdatasync per batch) or an fsync of
 * the temp file and the directory (edits, unclaimed creates, key files).
 * Lease files are never fsynced (a lease matters only while its holder
 * runs, and a power loss ends every holder: fs/lease-file.ts); post files
 * written from the journal are fsynced in a batch later, their record kept
 * until then. A journal's torn last frame (a kill mid-write) was never
 * acknowledged and is ignored; damage in the middle of a journal stops the
 * store rather than be misread (fs/journal-records.ts). All fsyncs of a
 * store object go through one group commit (fs/sync-rounds.ts).
 *
 * Every write of a post (create, put, and every work-queue operation) is
 * one read-check-write under the post's lock: an in-process queue per post,
 * then the cross-process lock file of fs/file-lock.ts, so of two writers in
 * any processes exactly one wins. The order of a create's writes is in
 * fs/create-post.ts, that of giving a lease up in fs/file-queue.ts.
 *
 * Listings read the post files 64 at a time, and a lease file only for the
 * posts the directory listing shows one for; an unreadable post is
 * reported under `problems` (with its idempotency key when its id derives
 * from one and the key index has it) and the others carry on
 * (fs/post-listing.ts). The work queue claims due posts from such a
 * listing, re-checking each under its lock.
 */
export function fileStore(dir: string, options: FileStoreOptions = {}): Store {
  const ctx = fileStoreContext(dir, {
    compactFinished: options.compactFinished ?? true,
    staleMs: options.staleLockMs ?? 5_000,
    recover: sweepDeadJournals,
    journalRotateBytes: options.journalRotateBytes,
  });
  const posts = filePosts(ctx);
  const brakes = fileBrakes(ctx);
  return {
    posts,
    queue: fileQueue(ctx, posts),
    ledger: fileLedger(ctx),
    brakes,
    outbox: fileOutbox(ctx, posts),
    async close() {
      await brakes.close();
      await compactOnClose(ctx);
      await ctx.close();
    },
  };
}
