import type { ErrorClass } from '../graph/error-class.js';
import { IgflowError, type ErrorJson } from '../graph/igflow-error.js';
import type { LiveStory } from './engine-events.js';

/** A post that failed for good: the error the machine ended with, as a typed error. */
export class PostFailed extends IgflowError {
  readonly name = 'PostFailed';
  readonly errorClass: ErrorClass;
  readonly code: number | undefined;
  readonly subcode: number | undefined;
  constructor(
    readonly postId: string,
    readonly error: ErrorJson,
    /** For a sequence of stories: the ones already live. */
    readonly stories: readonly LiveStory[] = [],
  ) {
    super(error.message, { remedy: error.remedy, step: error.step, retryAfterMs: error.retryAfterMs });
    this.errorClass = error.errorClass;
    this.code = error.code;
    this.subcode = error.subcode;
  }

  override get retryable(): boolean {
    return this.error.retryable;
  }

  override toJSON(): ErrorJson {
    return { ...this.error };
  }
}

/**
 * A stored post this engine could not take up (its store entry cannot be
 * written or read): an error for that post alone; the others carry on.
 */
export class PostUnavailable extends IgflowError {
  readonly name = 'PostUnavailable';
  readonly errorClass = 'unknown' as const;
  constructor(
    readonly postId: string,
    /** The post's idempotency key, when it has one. */
    readonly key: string | undefined,
    reason: string,
  ) {
    super(reason, { remedy: 'Check the store entry of this post (permissions, disk); the other posts were not affected.' });
  }
}

/**
 * A post this engine stopped working on before it ended (shutdown, a lost
 * lease, a store failure). Nothing is lost: it resumes from the store.
 */
export class PostInterrupted extends IgflowError {
  readonly name = 'PostInterrupted';
  readonly errorClass = 'retry-later' as const;
  constructor(
    readonly postId: string,
    reason: string,
  ) {
    super(`post ${postId} was interrupted: ${reason}`, { remedy: 'Run `igflow resume` (or engine.resumeAll()) with the same store to finish it.' });
  }
}

/**
 * A post cancelled (engine.cancel, `igflow cancel`, here or in another
 * process) before its `media_publish` was sent: it is never published.
 */
export class PostCancelled extends IgflowError {
  readonly name = 'PostCancelled';
  readonly errorClass = 'invalid-input' as const;
  constructor(
    readonly postId: string,
    /** When the cancel was stored (epoch ms). */
    readonly cancelledAt: number,
  ) {
    super(`post ${postId} was cancelled`, { remedy: 'Nothing to do: it was cancelled on purpose and will not be published. Publish it again under a new id to post it.' });
  }

  override get retryable(): boolean {
    return false;
  }
}
