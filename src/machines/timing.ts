import type { MediaKind } from '../spec/container-plan.js';

/**
 * igflow's waiting policy, as pure functions of the base unit (the CLI's
 * `--poll-interval`, 5 s by default). Every wait the client chooses itself
 * is a multiple of the unit, so tests shrink a whole day to milliseconds by
 * shrinking the unit or by running a virtual clock.
 */

/** The default base unit: the seed's 5 s (graph-api-facts.md §3). */
export const DEFAULT_UNIT_MS = 5_000;

/** Polls back off as unit × N, capped at 12 units (one a minute at 5 s, Meta's advice). */
const POLL_CAP_UNITS = 12;

/** Per-container deadline for reaching FINISHED: 10 min for images, 30 min for video at 5 s. */
const DEADLINE_UNITS: Readonly<Record<MediaKind, number>> = { image: 120, video: 360 };

/** How long before `publishAt` a scheduled container is created: its deadline plus a margin. */
const LEAD_UNITS: Readonly<Record<MediaKind, number>> = { image: 180, video: 480 };

/** Containers live 24 h; a scheduled container is never created earlier than this before publishAt. */
const MAX_LEAD_MS = 20 * 3_600_000;

/** Retry backoff doubles from one unit up to this many units. */
const RETRY_CAP_UNITS = 120;

/** Wait before trusting a FINISHED status after an ambiguous publish (graph-api-facts.md §7: 30–60 s). */
export const VERIFY_GRACE_UNITS = 8;

/** The wait before poll number `n` (1-based): unit × n, capped. */
export function pollDelayMs(n: number, unitMs: number): number {
  return Math.min(Math.max(1, n), POLL_CAP_UNITS) * unitMs;
}

/** How long a container may stay IN_PROGRESS before igflow gives up on it. */
export function pollDeadlineMs(media: MediaKind, unitMs: number): number {
  return DEADLINE_UNITS[media] * unitMs;
}

/** How far ahead of `publishAt` to create a container holding this media. */
export function scheduleLeadMs(media: MediaKind, unitMs: number): number {
  return Math.min(LEAD_UNITS[media] * unitMs, MAX_LEAD_MS);
}

/**
 * The wait before retry number `n` (1-based) of a failed request: unit × 2^(n-1),
 * capped, and never shorter than what the server asked for.
 */
export function retryDelayMs(n: number, unitMs: number, retryAfterMs?: number): number {
  const backoff = Math.min(2 ** Math.max(0, n - 1), RETRY_CAP_UNITS) * unitMs;
  return Math.max(backoff, retryAfterMs ?? 0);
}
