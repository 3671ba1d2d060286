import { holdClock } from '../time/hold.js';
import type { Clock } from '../time/clock.js';
import type { PostEnvelope, Store } from '../adapters/store.js';
import { holderIsGone } from './lease-owner.js';
import { defaultStoreRetryMs, StoreOutage, type RetryMs } from './store-outage.js';

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
  /** How long to wait between tries while the store fails (default 250 ms doubling to 5 s), on `clock`. */
  readonly retryMs?: RetryMs;
  readonly isClosed: () => boolean;
  /** How many posts are live in the engine now. */
  readonly busy: () => number;
  /** Starts a post this worker just leased. */
  readonly take: (envelope: PostEnvelope) => void;
  /**
   * Takes up again, up to `limit`, posts this worker was running when the
   * store failed (their leases are still its own, so claimDue would leave
   * them until they run out). Asked before each claim; rejects while the
   * store still fails.
   */
  readonly retake?: (limit: number) => Promise<void>;
  readonly problem: (message: string) => void;
}

/** A running claim loop. */
export interface WorkLoop {
  /** Wakes the loop early: a post ended, parked, or was stopped. While the store fails, only closing cuts a backoff short. */
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
 *
 * While the store fails (a database restart, say), the loop backs off
 * (`retryMs`), reports the outage once and the recovery once through
 * `problem`, and carries on: first with the posts it was running when the
 * store went away (`retake`), then claiming.
 */
export function startWorkLoop(options: WorkLoopOptions): WorkLoop {
  const { store, clock } = options;
  const outage = new StoreOutage(clock, options.retryMs ?? defaultStoreRetryMs, options.problem);
  let wake: (() => void) | undefined;
  // posts stopped by the outage nudge too: they must not turn the backoff into a busy loop
  const nudge = () => {
    if (!outage.active || options.isClosed()) wake?.();
  };
  // the store's own signal (a notification; its listening connection lost or back) wakes the loop even in a backoff
  const storeSignal = () => wake?.();
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

  /** Runs one store call with the clock held (a virtual clock must not jump while it is on its way). */
  const held = async <T>(call: (now: number) => Promise<T>): Promise<T> => {
    const release = holdClock(clock);
    try {
      return await call(clock.now());
    } finally {
      release();
    }
  };

  let unwatch: (() => Promise<void>) | undefined;
  let watchReported = false;
  /** Subscribes to the store's wake-ups; after a failure, polls instead (said once) and tries again after the next recovery. */
  const watch = async (): Promise<void> => {
    if (store.watch === undefined || unwatch !== undefined) return;
    try {
      unwatch = await store.watch(storeSignal);
    } catch (err) {
      if (!watchReported) options.problem(`cannot watch the store for new work (polling instead): ${err instanceof Error ? err.message : String(err)}`);
      watchReported = true;
    }
  };

  /** Posts stopped by a store failure first, then due posts, up to the free capacity. Rejects when the store fails. */
  const claim = async (): Promise<{ claimed: readonly PostEnvelope[]; capacity: number }> => {
    if (options.concurrency - options.busy() > 0) await options.retake?.(options.concurrency - options.busy());
    const capacity = options.concurrency - options.busy();
    if (capacity <= 0 || options.isClosed()) return { claimed: [], capacity };
    const claimed = await held((now) => store.claimDue({ owner: options.owner, now, until: now + options.leaseMs, limit: capacity, takeOver: holderIsGone, accounts: options.accounts }));
    return { claimed, capacity };
  };

  /** Waits out one backoff step after a failed try. */
  const backOff = async (err: unknown): Promise<void> => {
    await nap(outage.failed(err));
  };

  /** A try succeeded: the end of an outage is reported, and the store watched again if that had failed. */
  const answered = async (): Promise<void> => {
    if (!outage.active) return;
    outage.answered();
    await watch();
  };

  const done = (async () => {
    await watch();
    try {
      while (!options.isClosed()) {
        let round: { claimed: readonly PostEnvelope[]; capacity: number };
        try {
          round = await claim();
        } catch (err) {
          if (options.isClosed()) break;
          await backOff(err);
          continue;
        }
        if (options.isClosed()) break;
        // taken before anything else can fail: they are leased to this worker now
        for (const envelope of round.claimed) options.take(envelope);
        const { claimed, capacity } = round;
        if (claimed.length > 0 && claimed.length === capacity) {
          await answered();
          continue;
        }
        let next: number | undefined;
        try {
          next = await held((now) => store.nextDueAt(now, options.accounts));
        } catch (err) {
          if (options.isClosed()) break;
          await backOff(err);
          continue;
        }
        await answered();
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
