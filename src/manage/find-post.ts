import type { PostEnvelope } from '../adapters/envelope.js';
import type { PostRepository } from '../adapters/store.js';

/** The stored post named by its post id, or else by its idempotency key (the spec's `id`); undefined when neither names one. */
export async function findPost(posts: PostRepository, idOrPostId: string): Promise<PostEnvelope | undefined> {
  return (await posts.get(idOrPostId)) ?? (await posts.findByKey(idOrPostId));
}
