import { StoreError, type Store } from '../../src/adapters/store.js';

/** One operation a {@link FlakyStore} refused. */
export interface FailedCall {
  /** The Store method: `claimDue`, `lease`, `put`… */
  readonly op: keyof Store;
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
  failedAt(op: keyof Store): number[];
  /** Called after each refused call, with how many calls of that method were refused: a test can end the outage at an exact try. */
  onFailure?: (op: keyof Store, failures: number) => void;
}

/**
 * Wraps a real store (a memory store, say) so that a test can take it
 * away and bring it back on a virtual clock. Every call goes to the real
 * store while it is up; nothing is faked but the outage itself.
 */
export function flakyStore(inner: Store, now: () => number): FlakyStore {
  const failed: FailedCall[] = [];
  let down = false;
  const when = async <T>(op: keyof Store, call: () => Promise<T>): Promise<T> => {
    if (!down) return call();
    failed.push({ op, at: now() });
    const error = new StoreError('io', '', `store unreachable (${op}): connect ECONNREFUSED`);
    flaky.onFailure?.(op, failed.filter((f) => f.op === op).length);
    throw error;
  };
  const store: Store = {
    get: (postId) => when('get', () => inner.get(postId)),
    findByKey: (key) => when('findByKey', () => inner.findByKey(key)),
    create: (post) => when('create', () => inner.create(post)),
    put: (post, expected) => when('put', () => inner.put(post, expected)),
    listUnfinished: () => when('listUnfinished', () => inner.listUnfinished()),
    listAll: () => when('listAll', () => inner.listAll()),
    lease: (postId, request) => when('lease', () => inner.lease(postId, request)),
    release: (postId, owner) => when('release', () => inner.release(postId, owner)),
    claimDue: (request) => when('claimDue', () => inner.claimDue(request)),
    nextDueAt: (at, accounts) => when('nextDueAt', () => inner.nextDueAt(at, accounts)),
    recordPublish: (entry) => when('recordPublish', () => inner.recordPublish(entry)),
    publishesSince: (account, since) => when('publishesSince', () => inner.publishesSince(account, since)),
    close: () => inner.close(),
  };
  const flaky: FlakyStore = {
    store,
    failed,
    failedAt: (op) => failed.filter((f) => f.op === op).map((f) => f.at),
    get down() {
      return down;
    },
    set down(value: boolean) {
      down = value;
    },
  };
  return flaky;
}
