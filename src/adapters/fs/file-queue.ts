import { claimCandidates, nextDueOf } from '../claim-rules.js';
import type { PostChanges, PostEnvelope } from '../envelope.js';
import { assertHeld, claimable, claimOf, withChanges } from '../lease-rules.js';
import type { StoreError } from '../store-errors.js';
import type { Claim, ClaimRequest, LeaseRef, PostRepository, WorkQueue } from '../store.js';
import { storedEnvelope } from '../stored-envelope.js';
import { finishes } from '../outbox-rules.js';
import { forEachBounded } from './bounded-map.js';
import { writeOutboxMarker } from './file-outbox.js';
import { readLeaseFile, removeLeaseFile, writeLeaseFile } from './lease-file.js';
import { asStoreError } from './post-file.js';
import { readPostState, readStoredPost, type PostState } from './post-state.js';
import { readTextNow } from './small-file.js';
import { writePostFile } from './post-write.js';
import type { FileStoreContext } from './store-context.js';
import { assertSafePostId } from './store-layout.js';

/** How many leases a renewal writes at once. */
const RENEW_CONCURRENCY = 16;

/**
 * The WorkQueue of a file store. A lease lives in the post's lease file
 * (lease-file.ts), apart from the post file, so a claim and a renewal write
 * only that file and a post's version moves only with its content. Every
 * operation on a post is one read-check-write under the post's lock
 * (store-context.ts), checked with the shared rules of lease-rules.ts:
 * `claimable` for claims, `assertHeld` (the claim's token and version) for
 * every write of a claimed post.
 *
 * The holder's saves (the checkpoints before each effect: the hot path)
 * go to this store's journal, group-committed (journal-writer.ts): one
 * fsync for all the saves made meanwhile, each resolving once its record
 * is on disk. Only the holder journals a post, so a save reads the post's
 * files and this process's index without refreshing it: nobody else can
 * have journalled the post since this claim (a claim made by another
 * store object is caught by its version, and refreshed).
 *
 * A write that finishes a post first writes its outbox marker, durably
 * (fs/file-outbox.ts), then commits as any other.
 *
 * Giving a lease up (park, finish, release) writes the post to its post
 * file (so a post nobody holds lives in files, readable by any igflow,
 * and its journal records are dead), then removes the lease file. A crash between the two leaves the post
 * written, with a lease naming the dead holder: nobody can use that lease
 * (the post's version moved past the holder's claim, so every write of
 * that claim is refused), and the post is free again when it runs out, or
 * at once for a claimer whose `takeOver` sees the holder is dead. A
 * finished post is never claimed, whoever it names. Removing the lease
 * first instead would let the post be claimed before its last write.
 */
export function fileQueue(ctx: FileStoreContext, posts: PostRepository): WorkQueue {
  const { layout } = ctx;

  /** Leases `postId` to `request` when, read again under its lock, it may still be claimed; undefined otherwise. */
  const claimOne = (postId: string, request: ClaimRequest): Promise<Claim | undefined> =>
    ctx.locked(postId, async (assertLocked) => {
      await ctx.index.refresh();
      const current = await readStoredPost(layout, ctx.index, postId, { now: true });
      if (current === undefined || !claimable(current, request)) return undefined;
      const claim = claimOf(current, request);
      writeLeaseFile(layout.leaseFile(postId), claim.lease, assertLocked);
      return claim;
    });

  /** The named posts that can be read; the first failure to read one is kept in `failures`. */
  const named = async (postIds: readonly string[], failures: StoreError[]): Promise<PostEnvelope[]> => {
    const found: PostEnvelope[] = [];
    await ctx.index.refresh();
    for (const postId of new Set(postIds)) {
      try {
        assertSafePostId(postId);
        const post = await readStoredPost(layout, ctx.index, postId);
        if (post) found.push(post);
      } catch (error) {
        failures.push(asStoreError(postId, error));
      }
    }
    return found;
  };

  /** The post under its lock, as a write of `claim` needs it: refreshed first when this store's index is older than the claim. */
  const stateFor = async (claim: Claim): Promise<PostState> => {
    const postId = claim.post.postId;
    const state = await readPostState(layout, ctx.index, postId, { now: true });
    if (state.post !== undefined && state.post.version >= claim.post.version) return state;
    await ctx.index.refresh();
    return readPostState(layout, ctx.index, postId, { now: true });
  };

  /**
   * A write of a claimed post: under its lock, checks the claim
   * (`assertHeld`), journals `changes` at the next version when given (the
   * commit: it resolves once fsynced), and when giving the lease up, writes
   * the post to its post file and removes the lease file. That post file
   * is written without fsync when this journal holds its version (the
   * journal keeps the record until the file is fsynced, in a batch, later:
   * journal-writer.ts), durably otherwise. Resolves to the post as stored.
   */
  const write = (claim: Claim, changes: PostChanges | undefined, giveUp: boolean): Promise<PostEnvelope> =>
    ctx.locked(claim.post.postId, async (assertLocked) => {
      const postId = claim.post.postId;
      const state = await stateFor(claim);
      const current = assertHeld(state.post, claim);
      const next = changes === undefined ? current : storedEnvelope(withChanges(current, changes), current.version + 1, ctx.envelopes);
      // the outbox marker is on disk before the finish is committed: a crash between leaves a marker that waits for the finish, never a finish without one
      if (finishes(current, next)) await writeOutboxMarker(ctx, next, assertLocked);
      if (changes !== undefined) await ctx.journal.append(next, assertLocked);
      if (!giveUp) return next;
      // Past the lock's budget another process may hold the lock by now, so this starts over; after a write
      // above, the claim is then refused on the version it moved (the post is written, its lease left to run out).
      if (state.fileVersion === undefined || state.fileVersion < next.version) {
        const covered = ctx.journal.covers(postId, next.version);
        await writePostFile(ctx, next, state, assertLocked, !covered);
        await ctx.journal.filed(postId, next.version, !covered);
      }
      assertLocked();
      if (state.leased) removeLeaseFile(layout.leaseFile(postId));
      return next;
    });

  return {
    /**
     * The named posts (read one by one) or the due ones (from a listing of
     * unfinished posts), in the order of `claimCandidates`, each leased under
     * its lock if it is still claimable there, until `limit` are. A post
     * that cannot be read or leased is skipped, so one bad post stops no
     * others; when nothing could be claimed and some post failed, the first
     * failure is thrown (a store that cannot be written is not an empty one).
     */
    async claim(request) {
      const failures: StoreError[] = [];
      const limit = Math.max(0, Math.floor(request.limit));
      const found = request.postIds === undefined ? (await posts.list({ status: 'unfinished' })).posts : await named(request.postIds, failures);
      const claims: Claim[] = [];
      for (const post of claimCandidates(found, { ...request, limit: Number.POSITIVE_INFINITY })) {
        if (claims.length >= limit) break;
        try {
          const claim = await claimOne(post.postId, request);
          if (claim) claims.push(claim);
        } catch (error) {
          failures.push(asStoreError(post.postId, error));
        }
      }
      if (claims.length === 0 && failures[0] !== undefined) throw failures[0];
      return claims;
    },

    /**
     * Each lease, under its post's lock, when its file still names `owner`
     * and the token: only the lease file is rewritten. Every lease is tried;
     * when one could not be read or written, the first such failure is
     * thrown once all are done (a lease that is no longer the owner's stays
     * so, and is named by the next renewal).
     */
    async renew(owner, held, until) {
      const lost = new Set<LeaseRef>();
      const failures: StoreError[] = [];
      await forEachBounded(held, RENEW_CONCURRENCY, async (ref) => {
        const { postId, token } = ref;
        try {
          const renewed = await ctx.locked(postId, async (assertLocked) => {
            const lease = await readLeaseFile(layout.leaseFile(postId), postId, readTextNow);
            if (lease?.owner !== owner || lease.token !== token) return false;
            writeLeaseFile(layout.leaseFile(postId), { ...lease, until }, assertLocked);
            return true;
          });
          if (!renewed) lost.add(ref);
        } catch (error) {
          failures.push(asStoreError(postId, error));
        }
      });
      if (failures[0] !== undefined) throw failures[0];
      return held.filter((ref) => lost.has(ref)).map((ref) => ref.postId);
    },

    save: async (claim, changes) => ({ post: await write(claim, changes, false), lease: claim.lease }),
    park: async (claim, changes) => void (await write(claim, changes, true)),
    finish: async (claim, changes) => void (await write(claim, changes, true)),
    release: async (claim, changes) => void (await write(claim, changes, true)),

    nextDueAt: async (now, accounts) => nextDueOf((await posts.list({ status: 'unfinished' })).posts, now, accounts),
  };
}
