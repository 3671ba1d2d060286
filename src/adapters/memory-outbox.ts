import type { PostEnvelope } from './envelope.js';
import {
  claimDelivery,
  deliveredState,
  deliveryClaimable,
  entryOf,
  freshDelivery,
  holdsDelivery,
  nextDeliveryOf,
  prunable,
  retryState,
  type DeliveryState,
} from './outbox-rules.js';
import type { DeliveryClaim, Outbox, OutboxEntry } from './store.js';

/** Runs synchronous work as a promise: a throw becomes a rejection. */
export const settle = <T>(work: () => T): Promise<T> => new Promise<T>((resolve) => resolve(work()));

/** The memory store's outbox, and the hook its finishing writes call. */
export interface MemoryOutbox {
  readonly outbox: Outbox;
  /** Records the entry of a post just finished, in the same synchronous step as the write, and tells the followers. */
  record(post: PostEnvelope, at: number): void;
}

/**
 * An {@link Outbox} in memory: entries in the order they were written,
 * each with its delivery state; followers are told synchronously (after
 * the write, in a microtask, so a listener never runs inside the write).
 */
export function memoryOutbox(): MemoryOutbox {
  let entries: { entry: OutboxEntry; state: DeliveryState }[] = [];
  const byId = new Map<string, { entry: OutboxEntry; state: DeliveryState }>();
  const followers = new Set<(entry: OutboxEntry) => void>();
  const copy = <T>(value: T): T => structuredClone(value);
  let seq = 0;

  const held = (claim: DeliveryClaim) => {
    const row = byId.get(claim.entry.id);
    return row !== undefined && holdsDelivery(row.state, claim) ? row : undefined;
  };

  return {
    record(post, at) {
      seq += 1;
      const row = { entry: entryOf(String(seq), copy(post), at), state: freshDelivery(at) };
      entries.push(row);
      byId.set(row.entry.id, row);
      for (const follower of [...followers]) queueMicrotask(() => follower(copy(row.entry)));
    },
    outbox: {
      follow: (listener) =>
        settle(() => {
          const follower = (entry: OutboxEntry): void => listener(entry);
          followers.add(follower);
          return () => settle(() => void followers.delete(follower));
        }),
      claimDeliveries: (request) =>
        settle(() => {
          const claims: DeliveryClaim[] = [];
          for (const row of entries) {
            if (claims.length >= request.limit) break;
            if (!deliveryClaimable(row.state, request.now)) continue;
            const { state, claim } = claimDelivery(copy(row.entry), row.state, request.owner, request.until);
            row.state = state;
            claims.push(claim);
          }
          return claims;
        }),
      delivered: (claim, at) =>
        settle(() => {
          const row = held(claim);
          if (row === undefined) return false;
          row.state = deliveredState(row.state, at);
          return true;
        }),
      retryAt: (claim, nextAt) =>
        settle(() => {
          const row = held(claim);
          if (row === undefined) return false;
          row.state = retryState(row.state, nextAt);
          return true;
        }),
      nextDeliveryAt: (now) => settle(() => nextDeliveryOf(entries.map((row) => row.state), now)),
      prune: ({ before, limit }) =>
        settle(() => {
          const gone = entries.filter((row) => prunable(row.state, row.entry.at, before)).slice(0, limit);
          for (const row of gone) byId.delete(row.entry.id);
          entries = entries.filter((row) => byId.has(row.entry.id));
          return gone.length;
        }),
    },
  };
}
