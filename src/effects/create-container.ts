import { map } from 'rxjs';
import type { CreateInput, CreateOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';
import { graphCall } from './graph-call.js';

/**
 * `createContainer`: `POST /{ig-user-id}/media` with the container's
 * parameters. Repeating it after a restore makes a second container, which
 * is harmless: only media_publish makes a post.
 */
export const createContainer = (deps: EffectDeps) =>
  effectActor<CreateInput, CreateOutput>(deps, (input) =>
    graphCall(deps, input.account, 'create', (graph, signal) => graph.createContainer(input.params, { signal })).pipe(
      map((containerId) => ({ containerId, at: deps.clock.now() })),
    ),
  );
