import type { Lease, NewPost, PostEnvelope } from '../envelope.js';
import { claimOf } from '../lease-rules.js';
import { StaleWriteError } from '../store-errors.js';
import type { CreateResult } from '../store.js';
import { storedEnvelope } from '../stored-envelope.js';
import { createFileExclusive } from './atomic-file.js';
import { keyHolder } from './key-holder.js';
import { removeLeaseFile, writeLeaseFile } from './lease-file.js';
import { postFileText } from './post-file.js';
import { readStoredPost } from './post-state.js';
import { createKeyFile } from './post-write.js';
import type { FileStoreContext } from './store-context.js';
import { assertSafePostId } from './store-layout.js';

/**
 * PostRepository.create on files. A keyed create holds the key's lock
 * (`keys/<sha256>.lock`), so that of racing creates of one key, in any
 * processes, one claims it; and every create holds the new post's lock,
 * so that a post id is used once and racing creates of one id do not
 * overwrite each other's lease file. In this order:
 *
 * 1. With the index of every journal refreshed: the key's holder, if any,
 *    is returned and nothing is written; a post id in use is refused
 *    (StaleWriteError).
 * 2. The lease file is written when a claim is asked for, or any leftover
 *    one removed. Nothing is committed before this step, so when a lock
 *    was held too long (`assertLocked` throws) and the work runs again, it
 *    starts over cleanly.
 * 3. The commit: the post's first envelope goes to this store's journal
 *    (group commit: it resolves once fsynced). From then on, every reader
 *    in any process finds the post, by id or by key (journal-index.ts), and
 *    the create never checks a lock again (it must not start over).
 * 4. The key file `{ key, postId }` is created. A post nobody holds (no
 *    claim) then gets its post file at once and leaves the journal: the
 *    journal is for the posts this process works on.
 *
 * A post with neither key nor claim skips the journal: creating its post
 * file exclusively is the whole create.
 *
 * A crash after 2 leaves a lease file and no post: it means nothing (a
 * lease file without a post is ignored) until a create of the same id,
 * whose step 2 replaces or removes it. A crash after 3 leaves the post in
 * the journal of a dead process, with the lease of step 2, which names it
 * and runs out (or is taken over); the next store to write the directory
 * writes the post's key file and post file from that journal
 * (compaction.ts), and until then every reader merges it: the key never
 * ends up with no post or two, and the post is never held twice.
 */
export async function createPost(ctx: FileStoreContext, post: NewPost, claimFor: { readonly owner: string; readonly until: number } | undefined): Promise<CreateResult> {
  const { layout } = ctx;
  assertSafePostId(post.postId);
  const stored = storedEnvelope(post, 1, ctx.envelopes);
  const { postId, key } = stored;
  const claim = claimFor === undefined ? undefined : claimOf(stored, claimFor);
  const created = (post: PostEnvelope, lease: Lease | undefined): CreateResult => ({
    created: true,
    post: lease === undefined ? post : { ...post, lease },
    claim: lease === undefined ? undefined : { post: { ...post, lease }, lease },
  });

  const attempt = (assertKeyLocked: () => void): Promise<CreateResult> =>
    ctx.locked(postId, async (assertPostLocked) => {
      const assertLocked = (): void => {
        assertKeyLocked();
        assertPostLocked();
      };
      await ctx.index.refresh();
      if (key !== undefined) {
        const holder = await keyHolder(layout, ctx.index, ctx.durability, key);
        if (holder) return { created: false, post: holder };
      }
      const taken = await readStoredPost(layout, ctx.index, postId, { leaseFile: false, now: true });
      if (taken) throw new StaleWriteError(postId, 0, taken.version);

      if (claim === undefined) {
        assertLocked();
        removeLeaseFile(layout.leaseFile(postId));
      } else {
        writeLeaseFile(layout.leaseFile(postId), claim.lease, assertLocked);
      }

      if (key === undefined && claim === undefined) {
        if (!(await createFileExclusive(layout.postFile(postId), postFileText(stored), ctx.durability, assertLocked))) throw new StaleWriteError(postId, 0, undefined);
        return created(stored, undefined);
      }
      await ctx.journal.append(stored, assertLocked);
      if (key !== undefined) await createKeyFile(ctx, key, postId);
      if (claim === undefined) {
        // a put in another process, past this lock's budget, may have written the post file meanwhile: then it stays
        await createFileExclusive(layout.postFile(postId), postFileText(stored), ctx.durability);
        await ctx.journal.filed(postId, 1, true);
      }
      return created(stored, claim?.lease);
    });

  return key === undefined ? attempt(() => undefined) : ctx.lockedKey(key, postId, attempt);
}
