import { claimCandidates, nextDueOf } from '../claim-rules.js';
import type { PostChanges, PostEnvelope } from '../envelope.js';
import { assertHeld, claimable, claimOf, withChanges } from '../lease-rules.js';
import type { StoreError } from '../store-errors.js';
import type { Claim, ClaimRequest, LeaseRef, PostRepository, WorkQueue } from '../store.js';
import { storedEnvelope } from '../stored-envelope.js';
import { writeFileAtomic } from './atomic-file.js';
import { forEachBounded } from './bounded-map.js';
import { readLeaseFile, removeLeaseFile, writeLeaseFile } from './lease-file.js';
import { asStoreError, postFileText } from './post-file.js';
import type { FileStoreContext } from './store-context.js';
import { assertSafePostId } from './store-layout.js';
import { readStoredPost } from './stored-post.js';

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
 * Giving a lease up (park, finish, release with changes) writes the post,
 * then removes the lease file. A crash between the two leaves the post
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
      const current = await readStoredPost(layout, postId);
      if (current === undefined || !claimable(current, request)) return undefined;
      const claim = claimOf(current, request);
      await writeLeaseFile(layout.leaseFile(postId), claim.lease, assertLocked);
      return claim;
    });

  /** The named posts that can be read; the first failure to read one is kept in `failures`. */
  const named = async (postIds: readonly string[], failures: StoreError[]): Promise<PostEnvelope[]> => {
    const found: PostEnvelope[] = [];
    for (const postId of new Set(postIds)) {
      try {
        assertSafePostId(postId);
        const post = await readStoredPost(layout, postId);
        if (post) found.push(post);
      } catch (error) {
        failures.push(asStoreError(postId, error));
      }
    }
    return found;
  };

  /**
   * A write of a claimed post: under its lock, checks the claim
   * (`assertHeld`), writes `changes` at the next version when given, and
   * removes the lease file when `giveUp`. Resolves to the post as stored.
   */
  const write = (claim: Claim, changes: PostChanges | undefined, giveUp: boolean): Promise<PostEnvelope> =>
    ctx.locked(claim.post.postId, async (assertLocked) => {
      const postId = claim.post.postId;
      const current = assertHeld(await readStoredPost(layout, postId), claim);
      const next = changes === undefined ? current : storedEnvelope(withChanges(current, changes), current.version + 1, ctx.envelopes);
      if (changes !== undefined) await writeFileAtomic(layout.postFile(postId), postFileText(next), assertLocked);
      if (giveUp) {
        // Past the lock's budget another process may hold the lock by now, so this starts over; after a write
        // above, the claim is then refused on the version it moved (the post is written, its lease left to run out).
        assertLocked();
        await removeLeaseFile(layout.leaseFile(postId));
      }
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
            const lease = await readLeaseFile(layout.leaseFile(postId), postId);
            if (lease?.owner !== owner || lease.token !== token) return false;
            await writeLeaseFile(layout.leaseFile(postId), { ...lease, until }, assertLocked);
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
