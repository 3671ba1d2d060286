import { createHash, randomUUID } from 'node:crypto';

/**
 * The post id for an idempotency key: derived from the key, so every
 * process that publishes the same `id` lands on the same stored post.
 */
export function postIdForKey(key: string): string {
  return `k-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** A fresh post id for a spec without an idempotency key. */
export function newPostId(): string {
  return `p-${randomUUID()}`;
}
