import { timer, type Observable } from 'rxjs';
import type { EffectDeps } from './effect-deps.js';

/**
 * Emits once at `wakeAt` (at once when it has passed). A deadline, not a
 * duration, so a wait re-armed after a restore lasts only for the time left
 * (design.md invariant 4). Only a wait that starts its effect (the
 * machine's own deadline) may be parked by the engine, since a parked
 * effect starts over when the post wakes; a wait in the middle of an effect
 * (a grace period) runs on the clock.
 */
export function sleepUntil(deps: EffectDeps, postId: string, wakeAt: number, where: 'start' | 'midway' = 'start'): Observable<unknown> {
  if (deps.sleepUntil && where === 'start') return deps.sleepUntil(postId, wakeAt);
  return timer(Math.max(0, wakeAt - deps.clock.now()), deps.clock);
}
