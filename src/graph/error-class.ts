import { z } from 'zod';

/**
 * What an error means for the engine: the only thing callers branch on
 * (never the message text or the HTTP status).
 *
 * - `not-ready`: the container is still processing; keep polling.
 * - `recreate-container`: this container is dead; a new one may succeed.
 * - `retry-later`: send the same request again after a backoff.
 * - `throttled`: a rate limit; slow the whole account down, then retry.
 * - `quota`: the daily publishing quota is used up; wait for the window.
 * - `invalid-input`: the request or the media must be fixed; never retry.
 * - `auth`: the token, a permission or the account must be fixed.
 * - `ambiguous`: the request may have taken effect; verify before repeating.
 * - `unknown`: not in the catalogue; retried a bounded number of times.
 */
export const ErrorClass = z.enum([
  'not-ready',
  'recreate-container',
  'retry-later',
  'throttled',
  'quota',
  'invalid-input',
  'auth',
  'ambiguous',
  'unknown',
]);
/** See {@link ErrorClass}. */
export type ErrorClass = z.infer<typeof ErrorClass>;

/** Error classes that a retry of the same work cannot cure. */
const PERMANENT: ReadonlySet<ErrorClass> = new Set(['invalid-input', 'auth']);

/** Whether work that failed with this class may be tried again (perhaps after a wait or a new container). */
export function isRetryableClass(errorClass: ErrorClass): boolean {
  return !PERMANENT.has(errorClass);
}

/**
 * Error classes that prove a `media_publish` call did not publish: anything
 * else coming back from media_publish is treated as `ambiguous`
 * (docs/design.md#the-publish-boundary; docs/graph-api.md#look-up-order).
 */
export const PROVES_NOT_PUBLISHED: ReadonlySet<ErrorClass> = new Set(['not-ready', 'quota', 'invalid-input', 'auth']);

/** The Graph API call an answer came from; the catalogue classifies by it. */
export const GraphStep = z.enum(['create', 'status', 'publish', 'limit', 'media', 'stories', 'upload', 'comment', 'comments', 'token']);
/** See {@link GraphStep}. */
export type GraphStep = z.infer<typeof GraphStep>;
