import type { ErrorJson } from '../graph/igflow-error.js';
import type { StepFailure } from './effect-contract.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * Reads the `error` of an `xstate.error.actor.*` event as a {@link StepFailure}.
 * Effects always reject with one; anything else (a bug) becomes an `unknown`
 * failure at time 0, which the machines retry a bounded number of times.
 */
export function asStepFailure(error: unknown): StepFailure {
  if (isRecord(error) && isRecord(error.error) && typeof error.error.errorClass === 'string' && typeof error.at === 'number') {
    return error as unknown as StepFailure;
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    error: { name: 'UnexpectedError', errorClass: 'unknown', retryable: true, message, remedy: 'An unexpected failure inside igflow; report it.' },
    at: 0,
  };
}

/** Builds the error a machine reports for a container that ended in ERROR, timed out or expired too often. */
export function containerProblem(fields: Pick<ErrorJson, 'errorClass' | 'message' | 'remedy'> & Partial<ErrorJson>): ErrorJson {
  return {
    name: 'ContainerError',
    retryable: fields.errorClass !== 'invalid-input' && fields.errorClass !== 'auth',
    step: 'status',
    ...fields,
  };
}
