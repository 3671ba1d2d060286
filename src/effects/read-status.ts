import { map, switchMap } from 'rxjs';
import type { StatusInput, StatusOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';
import { fromCall } from './from-call.js';
import { sleepUntil } from './sleep-until.js';

/**
 * `readStatus`: one poll. Waits until the machine's deadline (`wakeAt`: the
 * backoff lives in the machine's context, so it survives a restore), then
 * reads `status_code,status,id`.
 */
export const readStatus = (deps: EffectDeps) =>
  effectActor<StatusInput, StatusOutput>(deps, (input) =>
    sleepUntil(deps, input.postId, input.wakeAt ?? deps.clock.now()).pipe(
      switchMap(() => fromCall(deps.clock, (signal) => deps.graphFor(input.account).containerStatus(input.containerId, { signal }))),
      map((status) => ({ status, at: deps.clock.now() })),
    ),
  );
