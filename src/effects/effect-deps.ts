import type { Observable } from 'rxjs';
import type { GraphClient } from '../graph/client.js';
import type { Timing } from '../machines/timing.js';
import type { Clock } from '../time/clock.js';
import type { QuotaDecision } from './quota-gate.js';
import type { CallPriority } from './rate-gate.js';

/** An account's publishing quota, as the effects use it (QuotaGate implements it). */
export interface AccountQuota {
  check(postId: string, serverSaidFull: boolean): Promise<QuotaDecision>;
  record(postId: string, at: number): Promise<void>;
}

/** How far an upload has come: `sent` of `total` bytes are with Instagram (or on their way). */
export interface UploadProgress {
  readonly containerId: string;
  readonly item: number | undefined;
  readonly story: number | undefined;
  readonly sent: number;
  readonly total: number;
}

/** Why an effect asks for a checkpoint: any step, or the publish (docs/design.md#cancel-and-the-pre-publish-checkpoint). */
export type CheckpointPurpose = 'step' | 'publish';

/** What an effect is, for whoever runs the post: work under way, or a wait until a deadline. */
export type EffectKind = { readonly kind: 'work' } | { readonly kind: 'wait'; readonly wakeAt: number };

/**
 * What the effects need from the outside world. The engine provides all of
 * it; tests provide a virtual clock and a client pointed at the simulator.
 */
export interface EffectDeps {
  /** The one source of time. */
  readonly clock: Clock;
  /** When igflow does what (the machines are built on it); default: the standard timing. */
  readonly timing?: Timing;
  /** The Graph client of an account (the `account` of an effect's input). */
  graphFor(account: string): GraphClient;
  /**
   * Resolves once the snapshot that asks for this effect is stored (persist
   * before effect); rejects when it cannot be (the post then stops here).
   * Default: at once. `publish`: the checkpoint right before a
   * media_publish, always written, which marks the post as being published
   * (a cancel stored before it is seen there, and stops the post; one
   * stored after it is too late).
   */
  checkpoint?(postId: string, purpose?: CheckpointPurpose): Promise<void>;
  /**
   * Called when an effect of a post starts; the returned function when it
   * ends (done, failed or stopped). Whoever runs the post learns from it
   * when waits are all that is left (and until when), to park the post.
   */
  track?(postId: string, effect: EffectKind): () => void;
  /**
   * Emits when a Graph call of this account and priority may go: the shared
   * brake of an account (and of the app) that throttle answers and usage
   * headers apply. Default: at once.
   */
  admit?(account: string, priority: CallPriority): Observable<unknown>;
  /**
   * Asked right before a media_publish is sent: does this worker still hold
   * the post with time to spare? When not, whoever runs the post tells its
   * machine (LEASE_LOST) and the publish is never sent. Default: always.
   */
  holds?(postId: string): boolean;
  /** Told as an upload's bytes flow (at most every 250 ms, and at the end). Default: nobody. */
  progress?(postId: string, progress: UploadProgress): void;
  /** The account's publishing quota. Default: none (every check passes, no call is made). */
  quotaFor?(account: string): AccountQuota;
}
