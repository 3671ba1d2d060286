import { IgflowError } from '../graph/igflow-error.js';

/**
 * A spec reused an idempotency key (`id`) that already names a post with
 * other content (as Stripe's idempotency keys: the same key must carry the
 * same request). Nothing is stored or sent; the first post is untouched.
 */
export class IdempotencyConflict extends IgflowError {
  readonly name = 'IdempotencyConflict';
  readonly errorClass = 'invalid-input' as const;
  constructor(
    /** The key both specs carry. */
    readonly key: string,
    /** The post that holds it. */
    readonly postId: string,
  ) {
    super(`the id ${JSON.stringify(key)} already names another post (${postId}) with different content; nothing was sent`, {
      remedy: 'Give this post an id of its own, or publish the first spec again unchanged to get its result.',
    });
  }
}
