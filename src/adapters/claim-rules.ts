import type { PostEnvelope } from './envelope.js';
import { claimable } from './lease-rules.js';
import type { ClaimRequest } from './store.js';

/** The posts `request` may claim among `posts`, in the order they are claimed: named ones as named, due ones earliest due first. */
export function claimCandidates(posts: Iterable<PostEnvelope>, request: ClaimRequest): PostEnvelope[] {
  const open: PostEnvelope[] = [];
  for (const post of posts) if ((request.postIds === undefined || request.postIds.includes(post.postId)) && claimable(post, request)) open.push(post);
  return open.sort((a, b) => (a.wakeAt ?? 0) - (b.wakeAt ?? 0) || a.createdAt - b.createdAt).slice(0, Math.max(0, Math.floor(request.limit)));
}

/** When the first unfinished post of `accounts` is both due and free at `now` or later; undefined when none waits. */
export function nextDueOf(posts: Iterable<PostEnvelope>, now: number, accounts?: readonly string[]): number | undefined {
  let next: number | undefined;
  for (const post of posts) {
    if (post.status !== 'active' || (accounts !== undefined && !accounts.includes(post.account))) continue;
    const at = Math.max(post.wakeAt ?? now, post.lease?.until ?? now, now);
    if (next === undefined || at < next) next = at;
  }
  return next;
}
