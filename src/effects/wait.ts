import { map } from 'rxjs';
import type { WaitInput, WaitOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';
import { sleepUntil } from './sleep-until.js';

/** `wait`: resolves at the machine's deadline (a backoff, a scheduled time, a quota window). */
export const wait = (deps: EffectDeps) =>
  effectActor<WaitInput, WaitOutput>(deps, (input) => sleepUntil(deps, input.postId, input.wakeAt).pipe(map(() => ({ at: deps.clock.now() }))));
