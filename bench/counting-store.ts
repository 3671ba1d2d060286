import type { Store } from '../src/adapters/store.js';
import { interceptedStore } from '../test/support/intercepted-store.js';

/** Calls and summed latency (ms, from call to settle; concurrent calls overlap) per store operation (`queue.save`…), in first-call order. */
export type StoreTally = ReadonlyMap<string, { readonly calls: number; readonly ms: number }>;

/**
 * A store that passes every call through to `inner` and counts, per
 * operation of its posts, queue and ledger, how often the engine called it
 * and how long the calls took. `close` is not counted.
 */
export function countingStore(inner: Store): { readonly store: Store; readonly tally: StoreTally } {
  const tally = new Map<string, { calls: number; ms: number }>();
  const store = interceptedStore(inner, (op, proceed) => {
    const start = performance.now();
    return proceed().finally(() => {
      const entry = tally.get(op) ?? { calls: 0, ms: 0 };
      entry.calls += 1;
      entry.ms += performance.now() - start;
      tally.set(op, entry);
    });
  });
  return { store, tally };
}
