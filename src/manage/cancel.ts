import type { PostEnvelope } from '../adapters/envelope.js';
import { StaleWriteError, StoreError } from '../adapters/store-errors.js';
import type { PostRepository } from '../adapters/store.js';
import type { Clock } from '../time/clock.js';
import { findPost } from './find-post.js';
import { tooLate, tooLateMessage, type TooLate } from './too-late.js';

/**
 * What a cancel answers: `cancelled` (now, or `already` before), or not,
 * and why: too late (`publishing`, `published`, `failed`), or no such post
 * (`unknown`).
 */
export type CancelResult =
  | { readonly cancelled: true; readonly postId: string; readonly already: boolean; readonly at: number }
  | { readonly cancelled: false; readonly postId: string | undefined; readonly reason: TooLate | 'unknown'; readonly message: string };

/** Compare-and-set attempts before a cancel gives up on a post that keeps changing under it (each one re-reads it). */
const ATTEMPTS = 50;

/** When a cancelled post was cancelled: the time its cancel stored, else its last write. */
export function cancelledAt(post: PostEnvelope): number {
  return post.result?.outcome === 'cancelled' ? post.result.at : post.updatedAt;
}

/** The post as a cancel at `at` leaves it: finished `cancelled`, no deadline, its containers left to expire. */
function cancelledPost(post: PostEnvelope, at: number): PostEnvelope {
  const { wakeAt: _wakeAt, waitReason: _waitReason, ...rest } = post;
  return { ...rest, status: 'cancelled', state: 'cancelled', result: { outcome: 'cancelled', at }, updatedAt: at };
}

/**
 * Cancels a post (by post id or idempotency key) unless a publish may be
 * on its way, whoever holds it: one compare-and-set write of the post at
 * the version just read (PostRepository.put). A holder's next write is then
 * refused; its pre-publish checkpoint is one such write, so it stops before
 * any `media_publish`. When the post changed under the cancel (a holder's
 * checkpoint), it is read again and judged again: a checkpoint that marked
 * the post `publishingSince` makes the cancel too late.
 */
export async function cancelPost(posts: PostRepository, clock: Clock, idOrPostId: string): Promise<CancelResult> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const post = await findPost(posts, idOrPostId);
    if (post === undefined) return { cancelled: false, postId: undefined, reason: 'unknown', message: `no post ${idOrPostId} in the store` };
    if (post.status === 'cancelled') return { cancelled: true, postId: post.postId, already: true, at: cancelledAt(post) };
    const late = tooLate(post);
    if (late !== undefined) return { cancelled: false, postId: post.postId, reason: late, message: tooLateMessage(post.postId, late) };
    const at = clock.now();
    try {
      await posts.put(cancelledPost(post, at), post.version);
      return { cancelled: true, postId: post.postId, already: false, at };
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
    }
  }
  throw new StoreError('stale-write', idOrPostId, `post ${idOrPostId} kept changing while it was being cancelled (${ATTEMPTS} tries); try again`);
}
