import { map } from 'rxjs';
import { ContainerBudgetFull } from './container-budget.js';
import type { CreateInput, CreateOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';
import { graphCall } from './graph-call.js';

/**
 * `createContainer`: `POST /{ig-user-id}/media` with the container's
 * parameters, once the account's container budget (400 per moving 24 h,
 * counted in the store's ledger by every worker) has a slot for it: a full
 * budget fails the step with ContainerBudgetFull (class `throttled`), and
 * the container waits instead of asking for the 401st. Repeating it after
 * a restore makes a second container, which is harmless: only
 * media_publish makes a post.
 */
export const createContainer = (deps: EffectDeps) =>
  effectActor<CreateInput, CreateOutput>(deps, (input) =>
    graphCall(deps, input.account, 'create', async (graph, signal) => {
      const slot = (await deps.containerSlot?.(input.account, input.postId)) ?? { ok: true };
      if (!slot.ok) throw new ContainerBudgetFull(input.postId, input.account, slot.used, slot.total, Math.max(0, slot.wakeAt - deps.clock.now()));
      return graph.createContainer(input.params, { signal });
    }).pipe(
      map((containerId) => ({ containerId, at: deps.clock.now() })),
    ),
  );
