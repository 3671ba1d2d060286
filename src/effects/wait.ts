import { map, timer } from 'rxjs';
import type { WaitInput, WaitOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';

/**
 * `wait`: resolves at the machine's deadline (a backoff, a poll, a
 * scheduled time, a quota window). A deadline, not a duration, so a wait
 * re-armed after a restore lasts only for the time left; it is stored
 * first (its checkpoint), so whoever runs the post may park it in the store
 * until then.
 */
export const wait = (deps: EffectDeps) =>
  effectActor<WaitInput, WaitOutput>(deps, (input) => timer(Math.max(0, input.wakeAt - deps.clock.now()), deps.clock).pipe(map(() => ({ at: deps.clock.now() }))), {
    kind: (input) => ({ kind: 'wait', wakeAt: input.wakeAt }),
  });
