import { map } from 'rxjs';
import type { StatusInput, StatusOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';
import { graphCall } from './graph-call.js';

/**
 * `readStatus`: one read of a container's `status_code,status,id` (a poll,
 * or a check after an ambiguous publish). A read changes nothing anywhere
 * and is safe to repeat, so it does not wait for a checkpoint: the
 * container it reads is already stored (by the wait before a poll, or by
 * the publish's checkpoint before a verification).
 */
export const readStatus = (deps: EffectDeps) =>
  effectActor<StatusInput, StatusOutput>(
    deps,
    (input) => graphCall(deps, input.account, 'read', (graph, signal) => graph.containerStatus(input.containerId, { signal })).pipe(map((status) => ({ status, at: deps.clock.now() }))),
    { checkpoint: false },
  );
