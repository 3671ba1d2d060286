import { map, switchMap } from 'rxjs';
import type { StatusInput, StatusOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';
import { graphCall } from './graph-call.js';
import { sleepUntil } from './sleep-until.js';

/**
 * `readStatus`: one poll. Waits until the machine's deadline (`wakeAt`: the
 * backoff lives in the machine's context, so it survives a restore), then
 * reads `status_code,status,id`.
 */
export const readStatus = (deps: EffectDeps) =>
  effectActor<StatusInput, StatusOutput>(deps, (input) =>
    sleepUntil(deps, input.postId, input.wakeAt ?? deps.clock.now()).pipe(
      switchMap(() => graphCall(deps, input.account, 'read', (graph, signal) => graph.containerStatus(input.containerId, { signal }))),
      map((status) => ({ status, at: deps.clock.now() })),
    ),
  );
