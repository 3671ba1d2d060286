import type { ErrorJson } from '../graph/igflow-error.js';
import type { StepFailure } from '../machines/effect-contract.js';

const hasToJson = (err: unknown): err is { toJSON(): ErrorJson; errorClass: string } =>
  typeof err === 'object' && err !== null && 'errorClass' in err && typeof (err as { toJSON?: unknown }).toJSON === 'function';

/**
 * What an effect rejects with: a {@link StepFailure} (the error as plain,
 * secret-free data, and when it happened) that is also an Error.
 */
export class StepFailed extends Error implements StepFailure {
  override readonly name = 'StepFailed';
  constructor(
    readonly error: ErrorJson,
    readonly at: number,
  ) {
    super(error.message);
  }
}

/**
 * Turns whatever an effect failed with into the data the machines receive:
 * an igflow error's JSON, stamped with the time it happened. Anything else
 * is an `unknown` failure.
 */
export function toStepFailure(err: unknown, at: number): StepFailed {
  if (hasToJson(err)) return new StepFailed(err.toJSON(), at);
  return new StepFailed(
    {
      name: 'UnexpectedError',
      errorClass: 'unknown',
      retryable: true,
      message: err instanceof Error ? err.message : String(err),
      remedy: 'An unexpected failure inside igflow; igflow retries a bounded number of times. Report it.',
    },
    at,
  );
}
