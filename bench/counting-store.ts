import type { Store } from '../src/adapters/store.js';

/** Calls and summed latency (ms, from call to settle; concurrent calls overlap) per Store method, in first-call order. */
export type StoreTally = ReadonlyMap<string, { readonly calls: number; readonly ms: number }>;

/**
 * A store that passes every call through to `inner` and counts, per method,
 * how often the engine called it and how long the calls took. It wraps
 * whatever methods `inner` has (a Proxy), so it keeps working as the Store
 * interface grows. `close` is not counted.
 */
export function countingStore(inner: Store): { readonly store: Store; readonly tally: StoreTally } {
  const tally = new Map<string, { calls: number; ms: number }>();
  const wrappers = new Map<string, (...args: unknown[]) => unknown>();
  const note = (method: string, start: number) => {
    const entry = tally.get(method) ?? { calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += performance.now() - start;
    tally.set(method, entry);
  };
  const wrap = (method: string, call: (...args: unknown[]) => unknown) => (...args: unknown[]): unknown => {
    const start = performance.now();
    const result = call.apply(inner, args);
    if (result instanceof Promise) return result.finally(() => note(method, start));
    note(method, start);
    return result;
  };
  const store = new Proxy(inner, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof key !== 'string' || key === 'close' || typeof value !== 'function') return value;
      let wrapper = wrappers.get(key);
      if (wrapper === undefined) {
        wrapper = wrap(key, value as (...args: unknown[]) => unknown);
        wrappers.set(key, wrapper);
      }
      return wrapper;
    },
  });
  return { store, tally };
}
