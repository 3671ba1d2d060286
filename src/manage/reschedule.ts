import type { PostEnvelope } from '../adapters/envelope.js';
import { StaleWriteError, StoreError } from '../adapters/store-errors.js';
import type { PostRepository } from '../adapters/store.js';
import type { Clock } from '../time/clock.js';
import { findPost } from './find-post.js';
import { tooLate, tooLateMessage, type TooLate } from './too-late.js';

/**
 * What a reschedule answers: `rescheduled` to `publishAt` (epoch ms), or
 * not, and why: too late (`publishing`, `published`, `failed`), the post is
 * `cancelled`, or there is no such post (`unknown`).
 */
export type RescheduleResult =
  | { readonly rescheduled: true; readonly postId: string; readonly publishAt: number }
  | { readonly rescheduled: false; readonly postId: string | undefined; readonly reason: TooLate | 'cancelled' | 'unknown'; readonly message: string };

/** Compare-and-set attempts before a reschedule gives up on a post that keeps changing under it. */
const ATTEMPTS = 50;

/**
 * The post moved to `publishAt`: its spec and envelope say the new time,
 * and it is due at once, so whoever takes it up (a worker, a resume, its
 * holder after its next write is refused) restores it and tells its
 * machine the new time (RESCHEDULE), which keeps or remakes its containers
 * and waits again. The idempotency hash stays the original request's.
 */
function movedPost(post: PostEnvelope, publishAt: number, now: number): PostEnvelope {
  const { wakeAt: _wakeAt, waitReason: _waitReason, ...rest } = post;
  const spec = typeof post.spec === 'object' && post.spec !== null ? { ...post.spec, publishAt: new Date(publishAt).toISOString() } : post.spec;
  return { ...rest, spec, publishAt, updatedAt: now };
}

/**
 * Moves a post's publishAt (by post id or idempotency key) under the rule
 * of a cancel: until the checkpoint before its first `media_publish`,
 * whoever holds it, as one compare-and-set write of the post; judged again
 * after any write that came in between.
 */
export async function reschedulePost(posts: PostRepository, clock: Clock, idOrPostId: string, publishAt: number): Promise<RescheduleResult> {
  if (!Number.isFinite(publishAt)) throw new TypeError('igflow: reschedule needs a time (ISO-8601, epoch ms or a Date)');
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const post = await findPost(posts, idOrPostId);
    if (post === undefined) return { rescheduled: false, postId: undefined, reason: 'unknown', message: `no post ${idOrPostId} in the store` };
    if (post.status === 'cancelled') return { rescheduled: false, postId: post.postId, reason: 'cancelled', message: `post ${post.postId} is cancelled: there is nothing to move` };
    const late = tooLate(post);
    if (late !== undefined) return { rescheduled: false, postId: post.postId, reason: late, message: tooLateMessage(post.postId, late) };
    try {
      await posts.put(movedPost(post, publishAt, clock.now()), post.version);
      return { rescheduled: true, postId: post.postId, publishAt };
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
    }
  }
  throw new StoreError('stale-write', idOrPostId, `post ${idOrPostId} kept changing while it was being rescheduled (${ATTEMPTS} tries); try again`);
}
