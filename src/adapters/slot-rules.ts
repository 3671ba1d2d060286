import type { BrakeState, SlotAnswer, SlotRequest } from './store.js';

/** A publish reservation: a post whose publish is under way, counted until it is recorded or `until` passes. */
export interface Reservation {
  readonly account: string;
  readonly postId: string;
  readonly until: number;
}

/**
 * The decision of {@link PublishLedger.takeSlot}, the same in every store:
 * `window` holds the times (epoch ms) of the account's entries of the
 * request's kind at or after `now - windowMs`, `reserved` the live publish
 * reservations of the account's other posts. Instagram's count (the
 * floor) grows by the entries at or after the time it was read. The store
 * runs it inside its one atomic operation and writes the slot when it says ok.
 */
export function decideSlot(request: SlotRequest, window: readonly number[], reserved: number): SlotAnswer {
  const { floor: read } = request;
  const floor = request.kind === 'publish' && read !== undefined ? read.used + window.filter((at) => at >= read.at).length : 0;
  const counted = Math.max(window.length, floor);
  const used = counted + (request.kind === 'publish' ? reserved : 0);
  if (used < request.total) return { ok: true, used };
  // a slot frees when enough of the counted entries have left the window; Instagram's own publishes are not ours to date
  const sorted = [...window].sort((a, b) => a - b);
  const oldest = sorted[used - request.total];
  const freesAt = oldest === undefined || counted > window.length ? undefined : oldest + request.windowMs;
  return { ok: false, used, freesAt };
}

/** Whether a reservation counts against a request: the account's, another post's, still live. */
export const countsAgainst = (reservation: Reservation, request: SlotRequest): boolean =>
  reservation.account === request.account && reservation.postId !== request.postId && reservation.until > request.now;

/**
 * Merges a raised brake into the stored one (see {@link BrakeBoard.raise}):
 * the later block wins, the newer usage reading wins, and strikes grow
 * unless the raise carries a newer reading that reset them.
 */
export function mergeBrake(stored: BrakeState | undefined, raised: BrakeState): BrakeState {
  if (stored === undefined) return raised;
  const newer = raised.usageAt >= stored.usageAt;
  return {
    key: stored.key,
    blockedUntil: Math.max(stored.blockedUntil, raised.blockedUntil),
    strikes: newer && raised.strikes === 0 ? 0 : Math.max(stored.strikes, raised.strikes),
    peakPercent: newer ? raised.peakPercent : stored.peakPercent,
    usageAt: Math.max(stored.usageAt, raised.usageAt),
  };
}
