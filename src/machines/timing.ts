import type { MediaKind } from '../spec/container-plan.js';
import type { ContainerRole } from './progress.js';

/**
 * When igflow does what: the policy the machines consult for every
 * deadline they store. It is given to whoever runs the machines (the
 * engine builds the machines with its own), never stored in a snapshot: a
 * post stored by one engine runs at the pace of the one that resumes it,
 * and the deadlines it already set are kept.
 *
 * Two kinds of numbers, kept apart on purpose (docs/graph-api.md#polling):
 * waits igflow chooses itself (poll and retry backoff) scale with the base
 * unit (`--poll-interval`), so tests shrink them; durations of Instagram's
 * own behaviour (how long a container may process, how early a scheduled
 * one is made) do not, so a fast poll never turns a slow container into a
 * failure.
 */
export interface Timing {
  /** When to read a container for the `polls + 1`-th time, created at `createdAt`, last looked at `at`; `role` says what the container is for (a carousel parent processes far faster than its videos). */
  nextPollAt(poll: { readonly account: string; readonly media: MediaKind; readonly role?: ContainerRole; readonly createdAt: number; readonly polls: number; readonly at: number }): number;
  /** The wait before retry number `n` (1-based) of a failed request; never shorter than the server asked. */
  retryDelayMs(n: number, retryAfterMs?: number): number;
  /** How long a container may stay IN_PROGRESS before a new one is made. */
  deadlineMs(media: MediaKind): number;
  /** How long before publishAt a scheduled post's container is made. */
  leadMs(media: MediaKind): number;
  /** How long to wait before trusting a FINISHED status after a publish whose outcome is unknown. */
  readonly verifyGraceMs: number;
  /** Without a new token, how long a post blocked on its credentials waits before trying again (a resume tries at once). */
  readonly authRetryMs: number;
}

/** The default base unit: the seed's 5 s. */
export const DEFAULT_UNIT_MS = 5_000;

/** How long a container may stay IN_PROGRESS by default: 10 minutes for images, 30 for video. */
export const DEFAULT_PROCESSING_DEADLINE_MS: Readonly<Record<MediaKind, number>> = { image: 10 * 60_000, video: 30 * 60_000 };

/** Containers live 24 h (docs/graph-api.md#lifetime-and-the-container-cap). */
export const CONTAINER_LIFETIME_MS = 24 * 3_600_000;

/**
 * How long before its 24 h end a container is no longer published: a
 * publish takes moments, but Instagram's clock and ours may differ, and a
 * container that dies between the check and `media_publish` is refused.
 */
export const CONTAINER_END_MARGIN_MS = 30 * 60_000;

/** Whether a container made at `createdAt` may still be published at `at` (it lives 24 h, less {@link CONTAINER_END_MARGIN_MS}). */
export function containerUsableAt(createdAt: number, at: number): boolean {
  return at < createdAt + CONTAINER_LIFETIME_MS - CONTAINER_END_MARGIN_MS;
}

/**
 * How long igflow keeps retrying a step that fails in passing (network,
 * 5xx, throttling) before it gives up on the post: a day, not a count, so
 * the unit never shortens it.
 */
export const TRANSIENT_BUDGET_MS = 24 * 3_600_000;

/** Polls back off as unit × N up to this many units (one a minute at 5 s, Meta's advice). */
const POLL_CAP_UNITS = 12;
/** Past the seed's schedule each poll waits this much longer than the last, up to {@link SLOW_POLL_MS}. */
const SLOW_POLL_GROWTH = 1.5;
/** Meta's pace for a container that takes long: one read a minute. */
const SLOW_POLL_MS = 60_000;
/** A scheduled container is made its processing deadline plus this before publishAt. */
const LEAD_MARGIN_MS = 5 * 60_000;
/** Never earlier than this before publishAt, so it cannot expire before it is published. */
const MAX_LEAD_MS = 20 * 3_600_000;
/** Retry backoff doubles from one unit up to this cap. */
const RETRY_CAP_MS = 10 * 60_000;
/** The grace before trusting FINISHED after an ambiguous publish, in units (40 s at 5 s; docs/graph-api.md#verification-procedure). */
const VERIFY_GRACE_UNITS = 8;

/** Options of {@link standardTiming}. */
export interface StandardTimingOptions {
  /** The base unit of igflow's own waits (default 5 s). */
  readonly unitMs?: number;
  /** Processing deadlines per media kind (default 10 and 30 minutes). */
  readonly deadlineMs?: Partial<Record<MediaKind, number>>;
}

/**
 * The wait before poll number `n` (1-based): the seed's unit × n up to 12
 * units, then growing by half each poll up to Meta's one a minute. At the
 * default unit both end at 60 s; with a tiny unit a slow container is read
 * a few dozen times, not thousands.
 */
export function pollDelayMs(n: number, unitMs: number): number {
  const polls = Math.max(1, n);
  const seed = Math.min(polls, POLL_CAP_UNITS) * unitMs;
  if (polls <= POLL_CAP_UNITS) return seed;
  return Math.max(seed, Math.min(SLOW_POLL_MS, seed * SLOW_POLL_GROWTH ** (polls - POLL_CAP_UNITS)));
}

/** The wait before retry `n` (1-based): unit × 2^(n-1), capped at 10 minutes, never shorter than the server asked. */
export function retryDelayMs(n: number, unitMs: number, retryAfterMs?: number): number {
  const backoff = Math.min(2 ** Math.min(Math.max(0, n - 1), 40) * unitMs, Math.max(RETRY_CAP_MS, unitMs));
  return Math.max(backoff, retryAfterMs ?? 0);
}

/** igflow's timing: the seed's schedule on the unit, Meta's pace for slow containers, Instagram's durations as given. */
export function standardTiming(options: StandardTimingOptions = {}): Timing {
  const unitMs = options.unitMs ?? DEFAULT_UNIT_MS;
  const deadlines = { ...DEFAULT_PROCESSING_DEADLINE_MS, ...options.deadlineMs };
  return {
    nextPollAt: ({ polls, at }) => at + pollDelayMs(polls + 1, unitMs),
    retryDelayMs: (n, retryAfterMs) => retryDelayMs(n, unitMs, retryAfterMs),
    deadlineMs: (media) => deadlines[media],
    leadMs: (media) => Math.min(deadlines[media] + LEAD_MARGIN_MS, MAX_LEAD_MS),
    verifyGraceMs: VERIFY_GRACE_UNITS * unitMs,
    authRetryMs: 3_600_000,
  };
}

/** {@link standardTiming} at the defaults: what the diagrams and the machines' own exports use. */
export const defaultTiming: Timing = standardTiming();
