import { defer, finalize, from, switchMap, take, type Observable } from 'rxjs';
import { fromPromise } from 'xstate';
import type { EffectDeps } from './effect-deps.js';
import { toStepFailure } from './to-step-failure.js';

/**
 * Makes an XState actor from an RxJS effect: first the checkpoint (the
 * snapshot that asks for the effect is stored: design.md invariant 1), then
 * the effect's first value is the actor's output. Failures reject with a
 * StepFailure. Stopping the actor unsubscribes, which aborts any HTTP call.
 * The effect runs again from the start when a snapshot is restored, so each
 * one must be safe to repeat (invariant 5).
 */
export function effectActor<TInput extends { readonly postId: string }, TOutput>(
  deps: EffectDeps,
  effect: (input: TInput) => Observable<TOutput>,
) {
  return fromPromise<TOutput, TInput>(
    ({ input, signal }) =>
      new Promise<TOutput>((resolve, reject) => {
        const untrack = deps.track?.(input.postId);
        const subscription = defer(() => from(deps.checkpoint?.(input.postId) ?? Promise.resolve()))
          .pipe(
            switchMap(() => effect(input)),
            take(1),
            finalize(() => untrack?.()),
          )
          .subscribe({
            next: resolve,
            error: (err: unknown) => reject(toStepFailure(err, deps.clock.now())),
            complete: () => reject(toStepFailure(new Error('effect completed without a result'), deps.clock.now())),
          });
        signal.addEventListener('abort', () => subscription.unsubscribe(), { once: true });
      }),
  );
}
