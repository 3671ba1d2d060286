import { StaleWriteError } from '../store-errors.js';
import type { PostRepository } from '../store.js';
import { storedEnvelope } from '../stored-envelope.js';
import { finishes } from '../outbox-rules.js';
import { createPost } from './create-post.js';
import { writeOutboxMarker } from './file-outbox.js';
import { keyHolder } from './key-holder.js';
import { postListing } from './post-listing.js';
import { readPostState, readStoredPost } from './post-state.js';
import { writePostFile } from './post-write.js';
import type { FileStoreContext } from './store-context.js';
import { assertSafePostId } from './store-layout.js';

/**
 * The PostRepository of a file store: creates (create-post.ts), reads (a
 * post file and its lease file, merged with the journals: post-state.ts),
 * listings (post-listing.ts) and compare-and-set edits. Every read first
 * refreshes the index of the other processes' journals, so it sees their
 * acknowledged writes. An edit is not the holder's work: it rewrites the
 * post file under the post's lock (never a journal) and leaves the lease
 * file alone, so a holder's lease stays, and its next write is refused on
 * the version.
 */
export function filePosts(ctx: FileStoreContext): PostRepository {
  const { layout, index } = ctx;
  return {
    create: (post, claimFor) => createPost(ctx, post, claimFor),

    async get(postId) {
      assertSafePostId(postId);
      await index.refresh();
      return readStoredPost(layout, index, postId);
    },

    async findByKey(key) {
      await index.refresh();
      return keyHolder(layout, index, ctx.durability, key);
    },

    list: postListing(ctx),

    put(post, expectedVersion) {
      return ctx.locked(post.postId, async (assertLocked) => {
        await index.refresh();
        const state = await readPostState(layout, index, post.postId, { now: true });
        const current = state.post;
        if (current?.version !== expectedVersion) throw new StaleWriteError(post.postId, expectedVersion, current?.version);
        const next = storedEnvelope({ ...post, key: current.key, lease: current.lease }, expectedVersion + 1, ctx.envelopes);
        if (finishes(current, next)) await writeOutboxMarker(ctx, next, assertLocked);
        await writePostFile(ctx, next, state, assertLocked);
        return next;
      });
    },
  };
}
