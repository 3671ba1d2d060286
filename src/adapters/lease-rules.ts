import { randomUUID } from 'node:crypto';
import type { Lease, PostChanges, PostEnvelope } from './envelope.js';
import { LeaseLostError } from './store-errors.js';
import type { Claim, ClaimRequest } from './store.js';

/**
 * The rules of the work queue, shared by every adapter that decides in
 * JavaScript (memory, file, and PostgreSQL's row-by-row checks), so they
 * cannot drift apart.
 */

/** A fresh lease token: every claim gets its own. */
export const newLeaseToken = (): string => randomUUID();

/** Whether `lease` is live at `now` (a lease is live while `now < until`). */
const isLive = (lease: Lease | undefined, now: number): lease is Lease => lease !== undefined && lease.until > now;

/**
 * Whether `request` may claim `post`: unfinished, of one of its accounts,
 * and free (unleased, its lease ran out, or `takeOver` allows stealing it).
 * Named posts may be claimed whatever their `wakeAt`, and also when the
 * requester holds them itself (it no longer runs them); due posts only when
 * due, and never the requester's own live ones (it is working on them).
 */
export function claimable(post: PostEnvelope, request: ClaimRequest): boolean {
  if (post.status !== 'active') return false;
  if (request.accounts !== undefined && !request.accounts.includes(post.account)) return false;
  const named = request.postIds !== undefined;
  if (!named && post.wakeAt !== undefined && post.wakeAt > request.now) return false;
  const held = post.lease;
  if (!isLive(held, request.now)) return true;
  if (held.owner === request.owner) return named;
  return request.takeOver?.({ ...held }) === true;
}

/** The claim of `post` for `request`, with a new token. */
export function claimOf(post: PostEnvelope, request: Pick<ClaimRequest, 'owner' | 'until'>): Claim {
  const lease: Lease = { owner: request.owner, token: newLeaseToken(), until: request.until };
  return { post: { ...post, lease }, lease };
}

/** Checks that `stored` is still as `claim` holds it (its lease token and version); throws LeaseLostError otherwise. */
export function assertHeld(stored: PostEnvelope | undefined, claim: Claim): PostEnvelope {
  const postId = claim.post.postId;
  if (stored === undefined) throw new LeaseLostError(postId, 'it is gone from the store');
  if (stored.lease?.token !== claim.lease.token) throw new LeaseLostError(postId, stored.lease ? `it is held by ${stored.lease.owner}` : 'its lease was given up');
  if (stored.version !== claim.post.version) throw new LeaseLostError(postId, `it changed meanwhile (version ${stored.version}, this worker had ${claim.post.version})`);
  return stored;
}

/** `stored` with `changes` applied by its holder: a post keeps no deadline it did not ask for again. (The adapter sets the next version.) */
export function withChanges(stored: PostEnvelope, changes: PostChanges): PostEnvelope {
  return { ...stored, wakeAt: undefined, waitReason: undefined, ...changes };
}

/** `post` without its lease. */
export function withoutLease(post: PostEnvelope): PostEnvelope {
  const { lease: _lease, ...rest } = post;
  return rest;
}
