import { timer, type Observable } from 'rxjs';
import type { EffectDeps } from './effect-deps.js';

/**
 * Emits once at `wakeAt` (at once when it has passed): the deps' own
 * sleepUntil when given (the engine parks posts), else a timer on the clock.
 * A deadline, not a duration, so a wait re-armed after a restore lasts only
 * for the time left (design.md invariant 4).
 */
export function sleepUntil(deps: EffectDeps, postId: string, wakeAt: number): Observable<unknown> {
  if (deps.sleepUntil) return deps.sleepUntil(postId, wakeAt);
  return timer(Math.max(0, wakeAt - deps.clock.now()), deps.clock);
}
