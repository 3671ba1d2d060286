import { Observable } from 'rxjs';

/**
 * Wraps one cancellable async call (an HTTP request) as an Observable: it
 * emits the result and completes, and unsubscribing aborts the call's
 * signal, so a stopped effect abandons its request.
 */
export function fromCall<T>(call: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    let settled = false;
    let pending: Promise<T>;
    try {
      pending = call(controller.signal);
    } catch (err) {
      subscriber.error(err);
      return undefined;
    }
    pending.then(
      (value) => {
        settled = true;
        subscriber.next(value);
        subscriber.complete();
      },
      (err: unknown) => {
        settled = true;
        subscriber.error(err);
      },
    );
    return () => {
      // aborting builds an AbortError: only worth it for a call still in flight
      if (!settled) controller.abort();
    };
  });
}
