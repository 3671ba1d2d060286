import { z } from 'zod';
import { ErrorClass, GraphStep, isRetryableClass } from './error-class.js';

/** The JSON form of an igflow error, as it appears in events, stored outcomes and `--json` output. */
export const ErrorJsonSchema = z.object({
  name: z.string(),
  errorClass: ErrorClass,
  retryable: z.boolean(),
  message: z.string(),
  remedy: z.string(),
  code: z.number().optional(),
  subcode: z.number().optional(),
  step: GraphStep.optional(),
  retryAfterMs: z.number().optional(),
  fbtraceId: z.string().optional(),
  /** For recreate-container: how many new containers the catalogue allows. */
  maxAttempts: z.number().optional(),
});
/** See {@link ErrorJsonSchema}. */
export type ErrorJson = z.infer<typeof ErrorJsonSchema>;

/**
 * The root of igflow's errors. Retry semantics live on the error (as in
 * Temporal's SDK): `errorClass` says what kind of failure it is,
 * `retryable` whether trying again can help, `retryAfterMs` how long to wait
 * when the server said. Messages are free of secrets by construction.
 */
export abstract class IgflowError extends Error {
  abstract override readonly name: string;
  abstract readonly errorClass: ErrorClass;
  /** How long the server asked us to wait, when it said. */
  readonly retryAfterMs: number | undefined;
  /** What to do about it, in words a user can act on. */
  readonly remedy: string;
  /** The call that failed, when the error came from the Graph API. */
  readonly step: GraphStep | undefined;

  protected constructor(message: string, details: { remedy: string; step?: GraphStep | undefined; retryAfterMs?: number | undefined }) {
    super(message);
    this.remedy = details.remedy;
    this.step = details.step;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** Whether the work that failed may be tried again (possibly after a wait or with a new container). */
  get retryable(): boolean {
    return isRetryableClass(this.errorClass);
  }

  /** Alias of {@link errorClass}, the name the issue tracker uses. */
  get class(): ErrorClass {
    return this.errorClass;
  }

  /** A plain object for events and logs. */
  toJSON(): ErrorJson {
    return {
      name: this.name,
      errorClass: this.errorClass,
      retryable: this.retryable,
      message: this.message,
      remedy: this.remedy,
      step: this.step,
      retryAfterMs: this.retryAfterMs,
    };
  }
}
