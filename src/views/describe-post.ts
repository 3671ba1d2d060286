import type { PostEnvelope } from '../adapters/envelope.js';

/** The media id of a published post, when the store knows it. */
export function mediaIdOf(post: PostEnvelope): string | undefined {
  return post.result?.outcome === 'published' ? (post.result.mediaId ?? undefined) : undefined;
}

/**
 * Where a stored post is, in one line: `published, media …`, `failed: …`,
 * or its state with its wait and its holder. Shared by `igflow status` and
 * `igflow watch`, so both say the same thing.
 */
export function describePost(post: PostEnvelope): string {
  if (post.status === 'published') return `published, media ${mediaIdOf(post) ?? 'id unknown'}`;
  if (post.status === 'failed') return `failed: ${post.result?.outcome === 'failed' ? post.result.error.message : 'unknown error'}`;
  if (post.status === 'cancelled') return `cancelled at ${post.result?.outcome === 'cancelled' ? new Date(post.result.at).toISOString() : 'an unknown time'}: it will not be published`;
  const waiting = post.wakeAt === undefined ? '' : `, waiting (${post.waitReason ?? 'processing'}) until ${new Date(post.wakeAt).toISOString()}`;
  const lease = post.lease === undefined ? '' : `, held by ${post.lease.owner} until ${new Date(post.lease.until).toISOString()}`;
  return `${post.state}${waiting}${lease}`;
}
