import type { Lease, NewPost, PostEnvelope } from '../envelope.js';
import { claimOf } from '../lease-rules.js';
import { quoted } from '../printable.js';
import { StaleWriteError, StoreError } from '../store-errors.js';
import type { CreateResult } from '../store.js';
import { storedEnvelope } from '../stored-envelope.js';
import { createFileExclusive, writeFileAtomic } from './atomic-file.js';
import { keyFileText } from './key-file.js';
import { keyHolder } from './key-holder.js';
import { removeLeaseFile, writeLeaseFile } from './lease-file.js';
import { postFileText } from './post-file.js';
import type { FileStoreContext } from './store-context.js';
import { assertSafePostId } from './store-layout.js';
import { readStoredPost } from './stored-post.js';

/**
 * PostRepository.create on files, under the new post's lock: racing
 * creates of one post id (two publishes of one key, in any processes) would
 * otherwise overwrite each other's lease file, and the winner's post could
 * appear held by the loser. In this order:
 *
 * 1. The key's holder, if any, is returned and nothing is written; a post
 *    id in use is refused (StaleWriteError).
 * 2. The lease file is written when a claim is asked for, or any leftover
 *    one removed (see below). Nothing is committed before this step, so
 *    when the lock was held too long (`assertLocked` throws) and the work
 *    runs again, it starts over cleanly.
 * 3. The key is claimed by creating its key file exclusively (a hard link:
 *    of racing creators in any process exactly one wins), with the new
 *    envelope inside. A loser removes the lease file it wrote (still
 *    checking the lock: it has committed nothing else) and returns the
 *    winner's post. A winner never checks the lock again: it must not
 *    start over, and writes only files that it alone has created.
 * 4. The post file is created from it; then the key file is slimmed to
 *    `{ key, postId }`.
 *
 * A crash after 2 leaves a lease file and no post: it means nothing (a
 * lease file without a post is ignored) until a create of the same id,
 * whose step 2 replaces or removes it. A crash after 3 leaves a claimed key
 * whose post anyone who looks the key up writes out from the key file
 * (key-holder.ts), with the lease of step 2, which names the crashed
 * process and runs out (or is taken over): the key never ends up with no
 * post or two, and the post is never held twice.
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

  return await ctx.locked(postId, async (assertLocked) => {
    if (key !== undefined) {
      const holder = await keyHolder(layout, key);
      if (holder) return { created: false, post: holder };
    }
    const taken = await readStoredPost(layout, postId, false);
    if (taken) throw new StaleWriteError(postId, 0, taken.version);

    if (claim === undefined) {
      assertLocked();
      await removeLeaseFile(layout.leaseFile(postId));
    } else {
      await writeLeaseFile(layout.leaseFile(postId), claim.lease, assertLocked);
    }

    if (key !== undefined && !(await createFileExclusive(layout.keyFile(key), keyFileText({ key, postId, post: stored })))) {
      assertLocked();
      await removeLeaseFile(layout.leaseFile(postId));
      const holder = await keyHolder(layout, key);
      if (holder) return { created: false, post: holder };
      throw new StoreError('corrupt', postId, `idempotency key ${quoted(key)} is claimed but its post cannot be found`);
    }
    if (!(await createFileExclusive(layout.postFile(postId), postFileText(stored)))) {
      // Someone who found our key file wrote the post out first (another post cannot take the id: we hold its lock).
      const now = await readStoredPost(layout, postId, false);
      if (key === undefined || now?.key !== key) throw new StaleWriteError(postId, 0, now?.version);
      return created(now, claim?.lease);
    }
    if (key !== undefined) await writeFileAtomic(layout.keyFile(key), keyFileText({ key, postId }));
    return created(stored, claim?.lease);
  });
}
