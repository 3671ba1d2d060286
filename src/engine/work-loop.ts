import { holdClock } from '../time/hold.js';
import type { Clock } from '../time/clock.js';
import type { PostEnvelope, Store } from '../adapters/store.js';
import { holderIsGone } from './lease-owner.js';

/** What the loop needs from its engine. */
export interface WorkLoopOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly owner: string;
  readonly leaseMs: number;
  /** Posts worked on at once. */
  readonly concurrency: number;
  /** The accounts this worker can publish for; it claims their posts only. */
  readonly accounts: readonly string[];
  /** Look at the store at least this often when nothing announces work. */
  readonly idleMs: number;
  readonly isClosed: () => boolean;
  /** How many posts are live in the engine now. */
  readonly busy: () => number;
  /** Starts a post this worker just leased. */
  readonly take: (envelope: PostEnvelope) => void;
  readonly problem: (message: string) => void;
}

/** A running claim loop. */
export interface WorkLoop {
  /** Wakes the loop early: a post ended, parked, or the store announced work. */
  nudge(): void;
  /** Settles when the engine closes and the loop has stopped. */
  readonly done: Promise<void>;
}

/**
 * One worker's claim loop over a shared store: claim what is due (the
 * store hands each post to one worker: `FOR UPDATE SKIP LOCKED` on
 * PostgreSQL), start it, then sleep until the next post is due, a
 * notification comes, a post of ours ends, or `idleMs` passes. Nothing here
 * is a protocol of its own: leases, versions and the store's atomic claim
 * do the coordinating.
 */
export function startWorkLoop(options: WorkLoopOptions): WorkLoop {
  const { store, clock } = options;
  let wake: (() => void) | undefined;
  const nudge = () => wake?.();
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const timers: Array<{ unsubscribe(): void }> = [];
      const finish = () => {
        timers.forEach((t) => t.unsubscribe());
        if (wake === finish) wake = undefined;
        resolve();
      };
      wake = finish;
      timers.push(clock.schedule(finish, Math.max(0, ms)));
    });

  const done = (async () => {
    const unwatch = await store.watch?.(nudge).catch((err: unknown) => {
      options.problem(`cannot watch the store for new work (polling instead): ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    try {
      while (!options.isClosed()) {
        const capacity = options.concurrency - options.busy();
        let claimed: readonly PostEnvelope[] = [];
        if (capacity > 0) {
          const release = holdClock(clock);
          try {
            const now = clock.now();
            claimed = await store.claimDue({ owner: options.owner, now, until: now + options.leaseMs, limit: capacity, takeOver: holderIsGone, accounts: options.accounts });
          } catch (err) {
            options.problem(`claiming due posts failed: ${err instanceof Error ? err.message : String(err)}`);
          } finally {
            release();
          }
        }
        if (options.isClosed()) break;
        for (const envelope of claimed) options.take(envelope);
        if (claimed.length > 0 && claimed.length === capacity) continue;
        let next: number | undefined;
        const release = holdClock(clock);
        try {
          next = await store.nextDueAt(clock.now(), options.accounts);
        } catch {
          next = undefined;
        } finally {
          release();
        }
        if (options.isClosed()) break;
        const now = clock.now();
        // nothing free to take (we are full, or another worker just won the race): wait for a nudge or a short while
        if (capacity <= 0) await nap(options.idleMs);
        else if (next !== undefined && next <= now) await nap(Math.min(options.idleMs, 50));
        else await nap(next === undefined ? options.idleMs : Math.min(next - now, options.idleMs));
      }
    } finally {
      await unwatch?.();
    }
  })();
  return { nudge, done };
}
