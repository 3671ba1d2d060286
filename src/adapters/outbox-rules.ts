import { randomUUID } from 'node:crypto';
import type { PostEnvelope } from './envelope.js';
import type { DeliveryClaim, OutboxEntry } from './store.js';

/**
 * The rules of the outbox, shared by the adapters that decide in
 * JavaScript (memory and file; PostgreSQL says the same in SQL), so they
 * cannot drift apart.
 */

/** Where an entry's webhook delivery stands. */
export interface DeliveryState {
  /** Failed attempts so far. */
  readonly attempts: number;
  /** When the next attempt is due (epoch ms). */
  readonly nextAt: number;
  /** When a receiver answered 2xx; undefined until then. */
  readonly deliveredAt?: number;
  /** Who is delivering it now, until when. */
  readonly lease?: { readonly owner: string; readonly token: string; readonly until: number };
}

/** Whether a write from `before` to `after` finished the post: the one kind of write that makes an outbox entry. */
export function finishes(before: PostEnvelope | undefined, after: PostEnvelope): boolean {
  return (before === undefined || before.status === 'active') && after.status !== 'active';
}

/** The outbox entry of a finished post, under the store's id for it. */
export function entryOf(id: string, post: PostEnvelope, at: number): OutboxEntry {
  if (post.status === 'active') throw new Error(`igflow: post ${post.postId} is not finished; it has no outbox entry`);
  return {
    id,
    postId: post.postId,
    ...(post.key === undefined ? {} : { key: post.key }),
    account: post.account,
    status: post.status,
    ...(post.result === undefined ? {} : { result: post.result }),
    at,
  };
}

/** The state of a new entry: due at once. */
export const freshDelivery = (at: number): DeliveryState => ({ attempts: 0, nextAt: at });

/** Whether an entry in `state` may be claimed for delivery at `now`: undelivered, due, and not under a live lease. */
export function deliveryClaimable(state: DeliveryState, now: number): boolean {
  return state.deliveredAt === undefined && state.nextAt <= now && (state.lease === undefined || state.lease.until <= now);
}

/** The state of an entry claimed by `owner` until `until`, and its claim. */
export function claimDelivery(entry: OutboxEntry, state: DeliveryState, owner: string, until: number): { readonly state: DeliveryState; readonly claim: DeliveryClaim } {
  const token = randomUUID();
  return { state: { ...state, lease: { owner, token, until } }, claim: { entry, token, attempts: state.attempts } };
}

/** Whether `claim` still holds the entry in `state`. */
export const holdsDelivery = (state: DeliveryState | undefined, claim: DeliveryClaim): state is DeliveryState => state?.lease?.token === claim.token;

/** The state once delivered at `at`. */
export const deliveredState = (state: DeliveryState, at: number): DeliveryState => ({ attempts: state.attempts, nextAt: state.nextAt, deliveredAt: at });

/** The state after a failed attempt, next tried at `nextAt`. */
export const retryState = (state: DeliveryState, nextAt: number): DeliveryState => ({ attempts: state.attempts + 1, nextAt });

/** When an entry in `state` is due and free: at least `now`; undefined once delivered. */
export const deliveryDueAt = (state: DeliveryState, now: number): number | undefined =>
  state.deliveredAt === undefined ? Math.max(state.nextAt, state.lease?.until ?? 0, now) : undefined;

/** When the first of `states` is due and free: at least `now`; undefined when all are delivered. */
export function nextDeliveryOf(states: Iterable<DeliveryState>, now: number): number | undefined {
  let next: number | undefined;
  for (const state of states) {
    const at = deliveryDueAt(state, now);
    if (at !== undefined && (next === undefined || at < next)) next = at;
  }
  return next;
}

/** Whether an entry of a post finished at `at`, in `state`, may be pruned before `before`: delivered (so under no lease) and older. */
export const prunable = (state: DeliveryState, at: number, before: number): boolean => state.deliveredAt !== undefined && at < before;
