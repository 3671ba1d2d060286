import { defer, finalize, from, switchMap, take, type Observable } from 'rxjs';
import { fromPromise } from 'xstate';
import type { CheckpointPurpose, EffectDeps, EffectKind } from './effect-deps.js';
import { toStepFailure } from './to-step-failure.js';

/** Options of {@link effectActor}. */
export interface EffectActorOptions<TInput> {
  /** Wait for the checkpoint first (default true; `publish`: the pre-publish one); only an effect that changes nothing anywhere may skip it. */
  readonly checkpoint?: boolean | CheckpointPurpose;
  /** What the effect is, for parking (default: work). */
  readonly kind?: (input: TInput) => EffectKind;
}

const WORK: EffectKind = { kind: 'work' };

/**
 * Makes an XState actor from an RxJS effect: first the checkpoint (the
 * snapshot that asks for the effect is stored: persist before effect), then
 * the effect's first value is the actor's output. Failures reject with a
 * StepFailure. Stopping the actor unsubscribes, which aborts any HTTP call.
 * The effect runs again from the start when a snapshot is restored, so each
 * one must be safe to repeat.
 */
export function effectActor<TInput extends { readonly postId: string }, TOutput>(deps: EffectDeps, effect: (input: TInput) => Observable<TOutput>, options: EffectActorOptions<TInput> = {}) {
  const checkpoint = options.checkpoint ?? true;
  const purpose: CheckpointPurpose = checkpoint === 'publish' ? 'publish' : 'step';
  return fromPromise<TOutput, TInput>(
    ({ input, signal }) =>
      new Promise<TOutput>((resolve, reject) => {
        const untrack = deps.track?.(input.postId, options.kind?.(input) ?? WORK);
        let emitted = false;
        const subscription = defer(() => from((checkpoint === false ? undefined : deps.checkpoint?.(input.postId, purpose)) ?? Promise.resolve()))
          .pipe(
            switchMap(() => effect(input)),
            take(1),
            finalize(() => untrack?.()),
          )
          .subscribe({
            next: (value) => {
              emitted = true;
              resolve(value);
            },
            error: (err: unknown) => reject(toStepFailure(err, deps.clock.now())),
            complete: () => {
              if (!emitted) reject(toStepFailure(new Error('effect completed without a result'), deps.clock.now()));
            },
          });
        signal.addEventListener('abort', () => subscription.unsubscribe(), { once: true });
      }),
  );
}
