import { of, switchMap, type Observable } from 'rxjs';
import type { GraphClient } from '../graph/client.js';
import type { EffectDeps } from './effect-deps.js';
import { fromCall } from './from-call.js';
import type { CallPriority } from './rate-gate.js';

/** One Graph API call of an account: it waits at the account's brake (the rate gate) for its priority, then runs as a cancellable call. */
export function graphCall<T>(deps: EffectDeps, account: string, priority: CallPriority, call: (graph: GraphClient, signal: AbortSignal) => Promise<T>): Observable<T> {
  const admitted = deps.admit?.(account, priority) ?? of(undefined);
  return admitted.pipe(switchMap(() => fromCall((signal) => call(deps.graphFor(account), signal))));
}
