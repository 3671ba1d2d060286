import type { MediaKind } from '../spec/container-plan.js';

/**
 * igflow's waiting policy, as pure functions. Two kinds of numbers live
 * here, and they are kept apart on purpose:
 *
 * - waits igflow chooses itself (poll and retry backoff) are multiples of
 *   the base unit (the CLI's `--poll-interval`, 5 s by default), so tests
 *   shrink them by shrinking the unit;
 * - durations of Instagram's own behaviour (how long a container may take
 *   to process, how long it lives, how early a scheduled container is made)
 *   are absolute, so a fast poll never turns a slow container into a
 *   failure (contract: `--poll-interval`).
 */

/** The default base unit: the seed's 5 s (docs/graph-api.md, polling). */
export const DEFAULT_UNIT_MS = 5_000;

/** Polls back off as unit × N up to this many units (one a minute at 5 s, Meta's advice). */
const POLL_CAP_UNITS = 12;

/** Past the seed's schedule, each poll waits this much longer than the one before, up to {@link SLOW_POLL_MS}. */
const SLOW_POLL_GROWTH = 1.5;

/** Meta's pace for a container that takes long: one read a minute. */
const SLOW_POLL_MS = 60_000;

/** How long a container may stay IN_PROGRESS before igflow makes a new one: 10 min for images, 30 min for video. */
export const DEFAULT_PROCESSING_DEADLINE_MS: Readonly<Record<MediaKind, number>> = { image: 10 * 60_000, video: 30 * 60_000 };

/** A scheduled container is made this long before its processing deadline would end at publishAt: a margin for slow polls. */
const LEAD_MARGIN_MS = 5 * 60_000;

/** Containers live 24 h (docs/graph-api.md, lifetime); a scheduled container is never made earlier than this before publishAt. */
const MAX_LEAD_MS = 20 * 3_600_000;

/** How long a container lives once created (docs/graph-api.md, lifetime). */
export const CONTAINER_LIFETIME_MS = 24 * 3_600_000;

/** Retry backoff doubles from one unit up to this (absolute) cap. */
const RETRY_CAP_MS = 10 * 60_000;

/**
 * How long igflow keeps retrying a step that fails in passing (network,
 * 5xx, throttling) before it gives up on the post: a day, not a count, so
 * the poll unit never shortens it.
 */
export const TRANSIENT_BUDGET_MS = 24 * 3_600_000;

/** Without a new token, a post blocked on its credentials tries again after this long (a resume tries at once). */
export const AUTH_RETRY_MS = 3_600_000;

/** Wait before trusting a FINISHED status after an ambiguous publish (docs/graph-api.md, the publish boundary: 30–60 s). */
export const VERIFY_GRACE_UNITS = 8;

/**
 * The wait before poll number `n` (1-based): the seed's unit × n up to 12
 * units, then growing by half each poll up to Meta's one a minute. At the
 * default unit both end at 60 s; with a tiny unit a slow container is not
 * hammered for its whole processing time.
 */
export function pollDelayMs(n: number, unitMs: number): number {
  const polls = Math.max(1, n);
  const seed = Math.min(polls, POLL_CAP_UNITS) * unitMs;
  if (polls <= POLL_CAP_UNITS) return seed;
  return Math.max(seed, Math.min(SLOW_POLL_MS, seed * SLOW_POLL_GROWTH ** (polls - POLL_CAP_UNITS)));
}

/** How long a container may stay IN_PROGRESS before igflow gives up on it (Instagram's behaviour: not scaled by the unit). */
export function pollDeadlineMs(media: MediaKind, deadlines: Readonly<Record<MediaKind, number>> = DEFAULT_PROCESSING_DEADLINE_MS): number {
  return deadlines[media];
}

/** How far ahead of `publishAt` to create a container holding this media: its processing deadline plus a margin, never near its 24 h life. */
export function scheduleLeadMs(media: MediaKind, deadlines: Readonly<Record<MediaKind, number>> = DEFAULT_PROCESSING_DEADLINE_MS): number {
  return Math.min(pollDeadlineMs(media, deadlines) + LEAD_MARGIN_MS, MAX_LEAD_MS);
}

/**
 * The wait before retry number `n` (1-based) of a failed request: unit ×
 * 2^(n-1), capped at 10 minutes, and never shorter than what the server
 * asked for.
 */
export function retryDelayMs(n: number, unitMs: number, retryAfterMs?: number): number {
  const backoff = Math.min(2 ** Math.min(Math.max(0, n - 1), 40) * unitMs, Math.max(RETRY_CAP_MS, unitMs));
  return Math.max(backoff, retryAfterMs ?? 0);
}
