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

/**
 * What a machine emits (XState `emit()`) when it starts a durable wait:
 * until when (epoch ms), why, and for a backoff since when the step has
 * been failing and with what. The engine turns these into `waiting`
 * events; nobody outside the machines reads state names to learn it.
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

/** Everything the machines emit. */
export type MachineEmitted = WaitingEmitted;
