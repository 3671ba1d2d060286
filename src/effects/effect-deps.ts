import type { Observable } from 'rxjs';
import type { GraphClient } from '../graph/client.js';
import type { Clock } from '../time/clock.js';
import type { QuotaDecision } from './quota-gate.js';
import type { CallPriority } from './rate-gate.js';

/** An account's publishing quota, as the effects use it (QuotaGate implements it). */
export interface AccountQuota {
  check(postId: string, serverSaidFull: boolean): Promise<QuotaDecision>;
  record(postId: string, at: number): Promise<void>;
}

/**
 * What the effects need from the outside world. The engine provides all of
 * it; tests provide a virtual clock and a client pointed at the simulator.
 */
export interface EffectDeps {
  /** The one source of time (design.md invariant 7). */
  readonly clock: Clock;
  /** The Graph client of an account (the `account` of an effect's input). */
  graphFor(account: string): GraphClient;
  /**
   * Resolves once the snapshot that asks for this effect is stored (design.md
   * invariant 1: persist before effect). Default: at once.
   */
  checkpoint?(postId: string): Promise<void>;
  /**
   * Emits once when `wakeAt` has come, for a wait that starts an effect.
   * Default: a timer on the clock. The engine's version may park the post
   * in its store until then instead of holding a live actor (the effect
   * then starts over on waking, and finds its deadline passed).
   */
  sleepUntil?(postId: string, wakeAt: number): Observable<unknown>;
  /**
   * Called when an effect of a post starts; the returned function when it
   * ends (done, failed or stopped). The engine counts a post's live effects
   * to know when a wait is all that is left of it.
   */
  track?(postId: string): () => void;
  /**
   * Emits when a Graph call of this account and priority may go: the shared
   * brake of an account (and of the app) that throttle answers and usage
   * headers apply. Default: at once.
   */
  admit?(account: string, priority: CallPriority): Observable<unknown>;
  /**
   * Asked right before a media_publish is sent: does this worker still hold
   * the post? When not, the publish is never sent (the engine stops the
   * post; its new holder carries on). Default: always.
   */
  holds?(postId: string): boolean;
  /** The account's publishing quota. Default: none (every check passes, no call is made). */
  quotaFor?(account: string): AccountQuota;
}
