import type { PostEnvelope } from '../adapters/envelope.js';

/** Why a post can no longer be cancelled or moved: a publish may be on its way (`publishing`), it is live (`published`), or it ended failed (`failed`). */
export type TooLate = 'publishing' | 'published' | 'failed';

/**
 * Whether it is too late to cancel or move `post`, and why: once the
 * checkpoint before its first `media_publish` is stored (`publishingSince`)
 * a publish may be on its way, whoever holds the post; undefined while it
 * may still be changed (active and never that far, or already cancelled).
 */
export function tooLate(post: PostEnvelope): TooLate | undefined {
  if (post.status === 'published') return 'published';
  if (post.status === 'failed') return 'failed';
  if (post.status === 'cancelled') return undefined;
  return post.publishingSince === undefined ? undefined : 'publishing';
}

/** A too-late answer in words, naming the post. */
export function tooLateMessage(postId: string, why: TooLate): string {
  switch (why) {
    case 'publishing':
      return `post ${postId} is being published (its media_publish may be on its way): too late to change it`;
    case 'published':
      return `post ${postId} is published: too late to change it`;
    case 'failed':
      return `post ${postId} failed for good: there is nothing to change`;
  }
}
