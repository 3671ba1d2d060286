import type { PostOutcome } from '../machines/outcome.js';
import type { EngineEvent } from './engine-events.js';
import { PostCancelled, PostFailed, PostInterrupted } from './post-errors.js';
import { HandleState, type PublishResult } from './post-handle.js';

/** The result a published outcome resolves a handle to. */
export function resultOf(postId: string, outcome: Extract<PostOutcome, { outcome: 'published' }>): PublishResult {
  return {
    postId,
    mediaId: outcome.mediaId ?? undefined,
    containerId: outcome.containerId === '' ? undefined : outcome.containerId,
    ...(outcome.stories === undefined ? {} : { stories: outcome.stories }),
    ...(outcome.commentId === undefined ? {} : { commentId: outcome.commentId }),
  };
}

/**
 * The handles this engine gave out, by post id: each gets its post's events
 * and settles once, with the outcome or the reason this engine stopped.
 */
export class Handles {
  private readonly byPost = new Map<string, HandleState>();

  /** The handle of a post, made on first ask. */
  handleFor(postId: string, key: string | undefined): HandleState {
    let handle = this.byPost.get(postId);
    if (handle === undefined) {
      handle = new HandleState(postId, key);
      this.byPost.set(postId, handle);
    }
    return handle;
  }

  /** Passes an event to its post's handle, if any. */
  emit(event: EngineEvent): void {
    this.byPost.get(event.postId)?.emit(event);
  }

  /** Settles a post's handle from its outcome. */
  outcome(postId: string, outcome: PostOutcome): void {
    if (outcome.outcome === 'published') this.settle(postId, { result: resultOf(postId, outcome) });
    else if (outcome.outcome === 'cancelled') this.settle(postId, { error: new PostCancelled(postId, outcome.at) });
    else this.settle(postId, { error: new PostFailed(postId, outcome.error, outcome.stories ?? []) });
  }

  /** Settles a post's handle with an error (PostInterrupted, PostUnavailable). */
  fail(postId: string, error: Error): void {
    this.settle(postId, { error });
  }

  /** The post ids with an open handle. */
  open(): string[] {
    return [...this.byPost.keys()];
  }

  /** Settles every open handle: the engine stops. */
  interruptAll(reason: string): void {
    for (const postId of this.open()) this.fail(postId, new PostInterrupted(postId, reason));
  }

  private settle(postId: string, outcome: { result: PublishResult } | { error: Error }): void {
    this.byPost.get(postId)?.settle(outcome);
    this.byPost.delete(postId);
  }
}
