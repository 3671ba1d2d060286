import { Agent, type Dispatcher } from 'undici';
import type { Store } from '../../src/adapters/store.js';
import type { VirtualClock } from '../../src/time/virtual-clock.js';
import { interceptedStore } from './intercepted-store.js';

/**
 * Test-only time machinery: a VirtualClock jumps to its next timer whenever
 * the process looks idle, so real I/O in flight (a store write, an HTTP
 * exchange) must hold it. These decorators are what tests install around
 * the store and the Graph transport; production code never holds a clock.
 */

/** A store whose every operation holds the clock until it settles. */
export function heldStore(store: Store, clock: VirtualClock): Store {
  return interceptedStore(store, (_op, proceed) => {
    const release = clock.hold();
    try {
      return proceed().finally(release);
    } catch (err) {
      release();
      throw err;
    }
  });
}

const TERMINAL = new Set(['onComplete', 'onError', 'onResponseEnd', 'onResponseError']);

/** A dispatch handler that releases the clock once its exchange ends, however it ends. */
function releasingHandler<H extends object>(handler: H, release: () => void): H {
  return new Proxy(handler, {
    get(base, name, receiver) {
      const value = Reflect.get(base, name, receiver) as unknown;
      if (typeof value !== 'function' || typeof name !== 'string' || !TERMINAL.has(name)) return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(base) : value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        try {
          return method.apply(base, args);
        } finally {
          release();
        }
      };
    },
  });
}

/**
 * An undici dispatcher (for the Graph client's `dispatcher` option) that
 * holds the clock from the moment a request is sent until its answer has
 * arrived or it failed: the virtual clock never jumps under an exchange.
 */
export function heldDispatcher(clock: VirtualClock): Dispatcher {
  return new Agent({ connections: 16 }).compose((dispatch) => (options, handler) => {
    const release = clock.hold();
    try {
      return dispatch(options, releasingHandler(handler, release));
    } catch (err) {
      release();
      throw err;
    }
  });
}
