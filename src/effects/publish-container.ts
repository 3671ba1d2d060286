import { map } from 'rxjs';
import type { PublishInput, PublishOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';
import { fromCall } from './from-call.js';

/**
 * `publishContainer`: `POST /{ig-user-id}/media_publish`, exactly once per
 * attempt. It never retries by itself (design.md invariant 2): its failure
 * carries the class that tells the post machine whether to verify.
 */
export const publishContainer = (deps: EffectDeps) =>
  effectActor<PublishInput, PublishOutput>(deps, (input) =>
    fromCall(deps.clock, (signal) => deps.graphFor(input.account).publish(input.containerId, { signal })).pipe(
      map((mediaId) => ({ mediaId, at: deps.clock.now() })),
    ),
  );
