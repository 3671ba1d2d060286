import { map, switchMap } from 'rxjs';
import type { FindMediaInput, FindMediaOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';
import { recordPublish } from './record-publish.js';
import { recoverMediaId } from './recover-media-id.js';

/**
 * `findMedia`: for a post whose container already reads PUBLISHED, counts
 * the publish in the quota ledger and looks its media id up in recent
 * media. Never fails: a post that is live stays published even when its id
 * cannot be found.
 */
export const findMedia = (deps: EffectDeps) =>
  effectActor<FindMediaInput, FindMediaOutput>(deps, (input) =>
    recordPublish(deps, input.account, input.postId).pipe(
      switchMap(() => recoverMediaId(deps, input.account, input.match, input.since)),
      map((mediaId) => ({ mediaId, at: deps.clock.now() })),
    ),
  );
