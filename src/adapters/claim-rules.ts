import { leaseAllowed } from './lease-rules.js';
import type { ClaimRequest, PostEnvelope, Store } from './store.js';

/**
 * Whether a post is due for work at `now` and free for the request's
 * owner. A post the owner already holds under a live lease is not: the
 * owner is working on it, and claiming it again would bump its version
 * under the running worker's feet.
 */
export function claimable(post: PostEnvelope, request: Pick<ClaimRequest, 'owner' | 'now' | 'takeOver' | 'until' | 'accounts'>): boolean {
  const ownLive = post.lease?.owner === request.owner && post.lease.until > request.now;
  const ours = request.accounts === undefined || request.accounts.includes(post.account);
  return post.status === 'active' && ours && (post.wakeAt === undefined || post.wakeAt <= request.now) && !ownLive && leaseAllowed(post, request);
}

/**
 * `claimDue` for stores that can list and lease one post at a time: each
 * lease is a compare-and-set, so two workers never both win a post.
 */
export async function claimByListing(store: Pick<Store, 'listUnfinished' | 'lease'>, request: ClaimRequest): Promise<PostEnvelope[]> {
  const { posts } = await store.listUnfinished();
  const due = posts.filter((post) => claimable(post, request)).sort((a, b) => (a.wakeAt ?? 0) - (b.wakeAt ?? 0) || a.createdAt - b.createdAt);
  const claimed: PostEnvelope[] = [];
  for (const post of due) {
    if (claimed.length >= request.limit) break;
    const leased = await store.lease(post.postId, request);
    if (leased !== undefined) claimed.push(leased);
  }
  return claimed;
}

/** `nextDueAt` for stores that can list: when the first active post is both due and free (`now` if one already is). */
export async function nextDueByListing(store: Pick<Store, 'listUnfinished'>, now: number, accounts?: readonly string[]): Promise<number | undefined> {
  const { posts } = await store.listUnfinished();
  let next: number | undefined;
  for (const post of posts) {
    if (accounts !== undefined && !accounts.includes(post.account)) continue;
    const at = Math.max(post.wakeAt ?? now, post.lease?.until ?? now, now);
    if (next === undefined || at < next) next = at;
  }
  return next;
}
