import { z } from 'zod';
import type { ErrorJson } from '../graph/igflow-error.js';

/**
 * Why a post waits: for a later publishAt (`schedule`), for Instagram to
 * process its media (`processing`), after a failure before trying again
 * (`backoff`), for the daily quota (`quota`), for a new access token or
 * permission (`auth`), or before trusting a status after an ambiguous
 * publish (`verification`).
 */
export const WaitReason = z.enum(['schedule', 'processing', 'backoff', 'quota', 'auth', 'verification']);
/** See {@link WaitReason}. */
export type WaitReason = z.infer<typeof WaitReason>;

/** Wait reasons a resume acts on at once (the quota is re-checked, a new token tried) instead of sleeping them out. */
export const RECHECK_ON_RESUME: ReadonlySet<WaitReason> = new Set(['quota', 'auth']);

/** What a container is for: a single post, an item of a carousel, or a carousel's parent. */
export type ContainerRole = 'single' | 'carousel-child' | 'carousel-parent';

/**
 * A machine entered a durable wait (XState `emit()`): until when (epoch
 * ms), why, and for a backoff since when the step has been failing and
 * with what. Emitted again after a restore, since entry actions do not run
 * then.
 */
export interface WaitingEmitted {
  readonly type: 'waiting';
  readonly reason: WaitReason;
  readonly until: number;
  /** For a backoff: when the current run of failures began. */
  readonly since?: number | undefined;
  /** The failure being waited out (backoff, auth). */
  readonly error?: ErrorJson | undefined;
  /** For a schedule: when the post is to go live (the wait itself may end earlier, to make its container ahead). */
  readonly publishAt?: number | undefined;
}

/** A post (or a story of a sequence) entered one of its top-level states. */
export interface StateEmitted {
  readonly type: 'state';
  readonly state: string;
  /** For a story of a sequence: its place (0-based). */
  readonly story?: number | undefined;
}

/** A container entered one of its top-level states. */
export interface ContainerEmitted {
  readonly type: 'container';
  readonly role: ContainerRole;
  readonly state: string;
  readonly containerId: string | undefined;
  /** For a carousel item: its place (0-based). */
  readonly item?: number | undefined;
  /** For a story of a sequence: its place (0-based). */
  readonly story?: number | undefined;
}

/**
 * What became of a post's first comment: `posted` (its id is known, from
 * the answer or, `found`, from the media's comments), or a failed attempt:
 * `retrying` (another comes at `until`) or `failed` (igflow gave up; the
 * post stays published).
 */
export interface CommentEmitted {
  readonly type: 'comment';
  readonly outcome: 'posted' | 'found' | 'retrying' | 'failed';
  readonly mediaId: string;
  readonly commentId?: string | undefined;
  readonly error?: ErrorJson | undefined;
  readonly until?: number | undefined;
}

/**
 * Everything the machines emit: how the outside learns what a post is
 * doing without reading state names or actor ids.
 */
export type MachineEmitted = WaitingEmitted | StateEmitted | ContainerEmitted | CommentEmitted;
