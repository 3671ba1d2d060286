import type { PublishLedger } from '../adapters/store.js';
import type { ContainerSlot } from '../effects/container-budget.js';

/** Containers per account per moving 24 h (docs/graph-api.md#lifetime-and-the-container-cap). */
export const CONTAINER_BUDGET = 400;
const DAY_MS = 86_400_000;
/** When the ledger cannot date the slot that frees, ask again after this long. */
const UNKNOWN_WAIT_MS = 3_600_000;
/** A margin after the oldest counted creation leaves the window, before trying again. */
const MARGIN_MS = 60_000;

/**
 * Takes one of the account's container slots in the store's ledger (one
 * atomic operation shared by every worker), or says when one frees: the
 * oldest counted creation's time plus 24 h and a minute.
 */
export async function takeContainerSlot(ledger: PublishLedger, request: { readonly account: string; readonly postId: string; readonly now: number; readonly total: number }): Promise<ContainerSlot> {
  const { account, postId, now, total } = request;
  const answer = await ledger.takeSlot({ account, postId, kind: 'container', now, windowMs: DAY_MS, total, until: now });
  if (answer.ok) return { ok: true };
  const wakeAt = answer.freesAt === undefined ? now + UNKNOWN_WAIT_MS : answer.freesAt + MARGIN_MS;
  return { ok: false, used: answer.used, total, wakeAt: Math.max(wakeAt, now + 1) };
}
