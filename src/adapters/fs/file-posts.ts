import { StaleWriteError } from '../store-errors.js';
import type { PostRepository } from '../store.js';
import { storedEnvelope } from '../stored-envelope.js';
import { writeFileAtomic } from './atomic-file.js';
import { createPost } from './create-post.js';
import { keyHolder } from './key-holder.js';
import { postListing } from './post-listing.js';
import { postFileText } from './post-file.js';
import type { FileStoreContext } from './store-context.js';
import { assertSafePostId } from './store-layout.js';
import { readStoredPost } from './stored-post.js';

/**
 * The PostRepository of a file store: creates (create-post.ts), reads (a
 * post file and its lease file: stored-post.ts), listings (post-listing.ts)
 * and compare-and-set edits. An edit rewrites the post file under the post's
 * lock and leaves the lease file alone, so a holder's lease stays, and its
 * next write is refused on the version.
 */
export function filePosts(ctx: FileStoreContext): PostRepository {
  const { layout } = ctx;
  return {
    create: (post, claimFor) => createPost(ctx, post, claimFor),

    async get(postId) {
      assertSafePostId(postId);
      return readStoredPost(layout, postId);
    },

    findByKey: (key) => keyHolder(layout, key),

    list: postListing(ctx),

    put(post, expectedVersion) {
      return ctx.locked(post.postId, async (assertLocked) => {
        const current = await readStoredPost(layout, post.postId);
        if (current?.version !== expectedVersion) throw new StaleWriteError(post.postId, expectedVersion, current?.version);
        const next = storedEnvelope({ ...post, key: current.key, lease: current.lease }, expectedVersion + 1, ctx.envelopes);
        await writeFileAtomic(layout.postFile(post.postId), postFileText(next), assertLocked);
        return next;
      });
    },
  };
}
