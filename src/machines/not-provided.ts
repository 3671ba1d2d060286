import { fromPromise } from 'xstate';

/**
 * Placeholder logic for an actor key: the machine names its work, the engine
 * (or a test) provides it with `machine.provide({ actors })`. Running one
 * unprovided is a wiring bug and fails loudly.
 */
export function notProvided<TOutput, TInput>(key: string) {
  return fromPromise<TOutput, TInput>(() => Promise.reject(new Error(`igflow: actor '${key}' was not provided`)));
}
