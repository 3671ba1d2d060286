import { map, switchMap } from 'rxjs';
import type { PublishInput, PublishOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';
import { graphCall } from './graph-call.js';
import { recordPublish } from './record-publish.js';

/**
 * `publishContainer`: `POST /{ig-user-id}/media_publish`, exactly once per
 * attempt, and only while this worker still holds the post: asked at the
 * last moment, after any wait at the account's brake. When it does not,
 * its machine has already been told (LEASE_LOST) and nothing is sent. It
 * never retries by itself: its failure carries the class that tells the
 * post machine whether to verify. Its checkpoint is the pre-publish one:
 * a cancel stored before it stops the post there.
 */
export const publishContainer = (deps: EffectDeps) =>
  effectActor<PublishInput, PublishOutput>(deps, (input) =>
    graphCall(deps, input.account, 'publish', (graph, signal) =>
      deps.holds === undefined || deps.holds(input.postId) ? graph.publish(input.containerId, { signal }) : Promise.reject(new Error('this worker no longer holds the post: the publish was not sent')),
    ).pipe(switchMap((mediaId) => recordPublish(deps, input.account, input.postId).pipe(map(() => ({ mediaId, at: deps.clock.now() }))))),
    { checkpoint: 'publish' },
  );
