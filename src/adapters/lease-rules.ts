import type { LeaseRequest, PostEnvelope } from './store.js';

/**
 * Whether `request` may claim `post` (Store.lease): it is unleased, its lease
 * ran out (a lease is live while `now < until`), it is the requester's own (a
 * renewal), or the request's `takeOver` allows stealing the live lease.
 */
export function leaseAllowed(post: PostEnvelope, request: LeaseRequest): boolean {
  const held = post.lease;
  if (held === undefined || held.owner === request.owner || held.until <= request.now) return true;
  return request.takeOver?.({ ...held }) === true;
}

/** `post` leased to the request's owner, at the next version (the fencing token). */
export function withLease(post: PostEnvelope, request: LeaseRequest): PostEnvelope {
  return { ...post, lease: { owner: request.owner, until: request.until }, version: post.version + 1 };
}

/** Whether `owner` holds `post`'s lease (live or expired), so that it may release it. */
export function leaseHeldBy(post: PostEnvelope, owner: string): boolean {
  return post.lease?.owner === owner;
}

/** `post` without its lease, at the next version. */
export function withoutLease(post: PostEnvelope): PostEnvelope {
  const { lease: _lease, ...rest } = post;
  return { ...rest, version: post.version + 1 };
}
