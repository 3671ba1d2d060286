import type { PostEnvelope } from '../envelope.js';
import { readLeaseFile } from './lease-file.js';
import { readPostFile } from './post-file.js';
import type { StoreLayout } from './store-layout.js';

/**
 * Reads a post as the store holds it: its post file, with the lease of its
 * lease file when it has one; undefined when the post does not exist (a
 * lease file without a post file is a leftover of a crashed create, and
 * means nothing). `lookForLease: false` skips the lease file, for callers
 * that know from a directory listing that there is none.
 *
 * The two files are read at once (a listing of held posts takes a third
 * less time than reading them one after the other). Without the post's
 * lock, a reader racing a claim or a park may pair the post with the lease
 * of just before or just after; every decision on the pair (claim, write)
 * is made again under the lock.
 */
export async function readStoredPost(layout: StoreLayout, postId: string, lookForLease = true): Promise<PostEnvelope | undefined> {
  if (!lookForLease) return readPostFile(layout.postFile(postId), postId);
  const [post, lease] = await Promise.all([readPostFile(layout.postFile(postId), postId), readLeaseFile(layout.leaseFile(postId), postId)]);
  return post === undefined || lease === undefined ? post : { ...post, lease };
}
