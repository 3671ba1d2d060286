import type { Observable, Subscription } from 'rxjs';
import type { EngineEvent } from '../engine/engine-events.js';

type Waiting = Extract<EngineEvent, { type: 'waiting' }>;

/**
 * What the CLI knows of each post's current wait, from the engine's
 * `waiting` events (subscribed before any post starts, so none is missed).
 * A wait counts only until its `until` has passed; a post that ended is
 * forgotten.
 */
export class WaitBook {
  private readonly waits = new Map<string, Waiting>();
  private readonly keys = new Map<string, string>();
  private readonly subscription: Subscription;

  constructor(events$: Observable<EngineEvent>) {
    this.subscription = events$.subscribe((event) => this.note(event));
  }

  /**
   * Whether `postId` waits for longer than `maxWaitMs` from `now`: for a new
   * token (always), for a later publishAt or the quota beyond the horizon,
   * or in a run of failures that has lasted longer than the horizon.
   */
  waitsLong(postId: string, now: number, maxWaitMs: number): boolean {
    const wait = this.waits.get(postId);
    if (wait === undefined || Date.parse(wait.until) <= now) return false;
    if (wait.reason === 'auth') return true;
    if (wait.reason === 'backoff') return wait.since !== undefined && now - Date.parse(wait.since) > maxWaitMs;
    const goesOn = wait.reason === 'schedule' && wait.publishAt !== undefined ? wait.publishAt : wait.until;
    return Date.parse(goesOn) - now > maxWaitMs;
  }

  /** One line on how a long-waiting post goes on, for when the command leaves it in the store. */
  describe(postId: string): string {
    const wait = this.waits.get(postId);
    const name = this.keys.get(postId) ?? postId;
    const later = 'run `igflow resume` then (or keep `igflow work` running)';
    if (wait === undefined) return `${name}: stored; ${later}`;
    switch (wait.reason) {
      case 'schedule':
        return `${name}: scheduled; it will be published at ${wait.publishAt ?? wait.until}: ${later}`;
      case 'quota':
        return `${name}: waiting on the daily publishing quota until ${wait.until}; ${later}`;
      case 'auth':
        return `${name}: Instagram refused the access token or a permission: ${wait.error?.message ?? 'auth'}\n  → ${wait.error?.remedy ?? 'Get a new access token.'} Then run \`igflow resume\`.`;
      case 'backoff':
        return `${name}: Instagram has not answered since ${wait.since ?? wait.at} (${wait.error?.message ?? 'failed'}); next try at ${wait.until}; ${later.replace('then', 'once it is back')}`;
      default:
        return `${name}: waiting (${wait.reason}) until ${wait.until}; ${later}`;
    }
  }

  /** Stops listening. */
  close(): void {
    this.subscription.unsubscribe();
  }

  private note(event: EngineEvent): void {
    if ((event.type === 'accepted' || event.type === 'resumed') && event.key !== null) this.keys.set(event.postId, event.key);
    if (event.type === 'waiting') this.waits.set(event.postId, event);
    else if (event.type === 'published' || event.type === 'failed' || event.type === 'cancelled' || event.type === 'interrupted') this.waits.delete(event.postId);
  }
}
