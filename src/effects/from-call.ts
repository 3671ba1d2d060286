import { Observable } from 'rxjs';

/**
 * Wraps one cancellable async call as an Observable: it emits the result and
 * completes, and unsubscribing aborts the call's signal (so a stopped effect
 * abandons its HTTP request).
 */
export function fromCall<T>(call: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    call(controller.signal).then(
      (value) => {
        subscriber.next(value);
        subscriber.complete();
      },
      (err: unknown) => subscriber.error(err),
    );
    return () => controller.abort();
  });
}
