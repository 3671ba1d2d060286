import { StoreError } from '../../src/adapters/store-errors.js';
import type { Store } from '../../src/adapters/store.js';
import { interceptedStore } from './intercepted-store.js';

/** One operation a {@link FlakyStore} refused: `queue.claim`, `posts.get`… */
export interface FailedCall {
  readonly op: string;
  /** When (`now()`). */
  readonly at: number;
}

/** A {@link Store} that fails like an unreachable database while `down` is set, and records the calls it refused. */
export interface FlakyStore {
  readonly store: Store;
  /** While true, every operation rejects with a StoreError of kind `io`, as the PostgreSQL store does when its server is gone. */
  down: boolean;
  /** Every call refused while down, in order. */
  readonly failed: readonly FailedCall[];
  /** The times of the refused calls of `op`. */
  failedAt(op: string): number[];
  /** Called after each refused call, with how many calls of that operation were refused: a test can end the outage at an exact try. */
  onFailure?: (op: string, failures: number) => void;
}

/**
 * Wraps a real store (a memory store, say) so that a test can take it
 * away and bring it back on a virtual clock. Every call goes to the real
 * store while it is up; nothing is faked but the outage itself.
 */
export function flakyStore(inner: Store, now: () => number): FlakyStore {
  const failed: FailedCall[] = [];
  const flaky: FlakyStore = {
    store: interceptedStore(inner, (op, proceed) => {
      if (!flaky.down) return proceed();
      failed.push({ op, at: now() });
      flaky.onFailure?.(op, failed.filter((f) => f.op === op).length);
      return Promise.reject(new StoreError('io', '', `store unreachable (${op}): connect ECONNREFUSED`));
    }),
    down: false,
    failed,
    failedAt: (op) => failed.filter((f) => f.op === op).map((f) => f.at),
  };
  return flaky;
}
