import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { withoutLease } from '../lease-rules.js';
import { ignoreMissing } from './errno.js';
import { readPostState } from './post-state.js';
import { syncPostFile, writePostFile } from './post-write.js';
import type { FileStoreContext } from './store-context.js';

/**
 * Compaction: writing what journals hold into the per-post files, so the
 * directory reads as a plain one (`posts/<id>.json`, `keys/…`) for
 * `igflow status`, for an older igflow, and for the next process, and
 * journal files can go.
 *
 * When it happens:
 * - a post's holder gives it up (park, finish, release: file-queue.ts):
 *   its post file is written at once, without fsync, and fsynced in a
 *   batch later (its journal record is kept until then: journal-writer.ts);
 *   a post created unclaimed gets its post file durably at once
 *   (create-post.ts);
 * - a store closes: every post its journal still holds (see
 *   {@link compactOnClose});
 * - a store first writes the directory: the journals of processes of this
 *   machine that no longer run (killed, crashed) are written out and
 *   removed ({@link sweepDeadJournals}), in the background;
 * - a journal file passes its size threshold: its live records are carried
 *   into a new file, and it is removed (journal-writer.ts).
 *
 * Every post is compacted under its lock, from what the store holds (its
 * files and every journal, post-state.ts), and only ever forward: a post
 * file is rewritten only when a journal holds a newer version.
 */

/**
 * Writes a post's post file (and key file), durably, from the newest
 * version the store holds, when a journal holds a newer one than its
 * file. With `syncAsIs`, a post file already as new is fsynced as it is
 * (a dead process may have written it without fsync).
 */
async function compactPost(ctx: FileStoreContext, postId: string, syncAsIs: boolean): Promise<void> {
  await ctx.locked(postId, async (assertLocked) => {
    const state = await readPostState(ctx.layout, ctx.index, postId, { now: true });
    const post = state.post;
    if (post === undefined) return;
    if (state.fileVersion === undefined || state.fileVersion < post.version) await writePostFile(ctx, withoutLease(post), state, assertLocked);
    else if (syncAsIs) await syncPostFile(ctx, postId);
    await ctx.journal.filed(postId, post.version, true);
  });
}

/**
 * Writes out every post this store's journal holds, so that the journal
 * files can be removed when the store closes. A post that cannot be
 * written (its lock is held elsewhere, a disk error) keeps its record:
 * the journal file stays, and whoever next writes the directory after
 * this process ends compacts it.
 */
export async function compactOnClose(ctx: FileStoreContext): Promise<void> {
  for (const postId of ctx.journal.livePostIds()) await compactPost(ctx, postId, false).catch(() => undefined);
}

/**
 * Compacts and removes the journals left by processes of this machine
 * that no longer run. A journal with a damaged record, or a post that
 * cannot be written, stays for the next sweep (and readers keep merging
 * it); a journal damaged in its middle stops every reader anyway
 * (journal-index.ts).
 */
export async function sweepDeadJournals(ctx: FileStoreContext): Promise<void> {
  await ctx.index.refresh();
  for (const journal of ctx.index.deadJournals()) {
    try {
      for (const postId of journal.posts.keys()) await compactPost(ctx, postId, true);
    } catch {
      continue;
    }
    await unlink(join(ctx.layout.journal, journal.name)).catch(ignoreMissing);
  }
}
