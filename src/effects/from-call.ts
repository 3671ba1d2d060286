import { Observable } from 'rxjs';
import type { Clock } from '../time/clock.js';
import { holdClock } from '../time/hold.js';

/**
 * Wraps one cancellable async call (an HTTP request) as an Observable: it
 * emits the result and completes, and unsubscribing aborts the call's
 * signal, so a stopped effect abandons its request. While the call is in
 * flight the clock is held: a virtual clock does not jump time under it.
 */
export function fromCall<T>(clock: Clock, call: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    const release = holdClock(clock);
    let settled = false;
    let pending: Promise<T>;
    try {
      pending = call(controller.signal);
    } catch (err) {
      release();
      subscriber.error(err);
      return undefined;
    }
    pending.then(
      (value) => {
        settled = true;
        release();
        subscriber.next(value);
        subscriber.complete();
      },
      (err: unknown) => {
        settled = true;
        release();
        subscriber.error(err);
      },
    );
    return () => {
      release();
      // aborting builds an AbortError: only worth it for a call still in flight
      if (!settled) controller.abort();
    };
  });
}
