import { map, of, switchMap, type Observable } from 'rxjs';
import type { ContainerStatus } from '../graph/client.js';
import type { VerifyInput, VerifyOutcome, VerifyOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';
import { graphCall } from './graph-call.js';
import { recordPublish } from './record-publish.js';
import { recoverMediaId } from './recover-media-id.js';
import { sleepUntil } from './sleep-until.js';

const outcomeOf = (status: ContainerStatus): VerifyOutcome => {
  switch (status.statusCode) {
    case 'PUBLISHED':
      return 'published';
    case 'FINISHED':
      return 'not-published';
    case 'EXPIRED':
      return 'expired';
    case 'ERROR':
      return 'error';
    default:
      return 'in-progress';
  }
};

/**
 * `verifyPublish`: after a publish whose outcome is unknown, reads the
 * container's status (graph-api-facts.md §7). PUBLISHED: done, and the media
 * id is recovered from recent media. FINISHED: waits a grace period and
 * reads again before saying "not published" (only then may the post machine
 * publish again). The status decides; recent media only name the media id,
 * since a list of media cannot prove which post a caption-less story is. Anything else goes back to the
 * container's lifecycle. A failed read rejects: the machine retries, never
 * publishes.
 */
export const verifyPublish = (deps: EffectDeps) =>
  effectActor<VerifyInput, VerifyOutput>(deps, (input) => {
    const read = () => graphCall(deps, input.account, 'read', (graph, signal) => graph.containerStatus(input.containerId, { signal }));
    const done = (outcome: VerifyOutcome, mediaId?: string): VerifyOutput => ({ outcome, mediaId, at: deps.clock.now() });
    const published = (): Observable<VerifyOutput> =>
      recordPublish(deps, input.account, input.postId).pipe(
        switchMap(() => recoverMediaId(deps, input.account, input.match, input.attemptAt)),
        map((mediaId) => done('published', mediaId)),
      );
    // FINISHED once may be a publish whose status has not flipped yet: read again after a grace period.
    const recheck = (): Observable<VerifyOutput> =>
      sleepUntil(deps, input.postId, deps.clock.now() + input.graceMs, 'midway').pipe(
        switchMap(read),
        switchMap((status) => (outcomeOf(status) === 'published' ? published() : of(done(outcomeOf(status))))),
      );
    return sleepUntil(deps, input.postId, input.wakeAt ?? deps.clock.now()).pipe(
      switchMap(read),
      switchMap((status) => {
        const outcome = outcomeOf(status);
        if (outcome === 'published') return published();
        if (outcome === 'not-published') return recheck();
        return of(done(outcome));
      }),
    );
  });
