import { catchError, map, of, type Observable } from 'rxjs';
import { fromCall } from './from-call.js';
import type { EffectDeps } from './effect-deps.js';

/**
 * Adds a publish to the account's quota ledger. A ledger that cannot be
 * written never turns a publish that happened into a failure: Instagram's
 * own count still stands behind it.
 */
export function recordPublish(deps: EffectDeps, account: string, postId: string): Observable<void> {
  const quota = deps.quotaFor?.(account);
  if (quota === undefined) return of(undefined);
  return fromCall(() => quota.record(postId, deps.clock.now())).pipe(
    map(() => undefined),
    catchError(() => of(undefined)),
  );
}
