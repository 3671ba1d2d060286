import { parseEnvelope, type PostEnvelope } from '../envelope.js';
import { quoted } from '../printable.js';
import { StoreError } from '../store-errors.js';
import { createFileExclusive } from './atomic-file.js';
import { readKeyFile } from './key-file.js';
import { postFileText } from './post-file.js';
import { assertSafePostId, type StoreLayout } from './store-layout.js';
import { readStoredPost } from './stored-post.js';

/**
 * The post holding idempotency key `key` (with its lease), or undefined
 * when the key is free. When a create crashed after claiming the key and
 * before writing the post, the post is written out here from the first
 * envelope its key file still holds (created exclusively: a create still
 * under way, or another process doing the same, cannot be overwritten), so
 * a claimed key never ends up with no post. A key file pointing to a post
 * that holds another key is a `corrupt` StoreError.
 */
export async function keyHolder(layout: StoreLayout, key: string): Promise<PostEnvelope | undefined> {
  const record = await readKeyFile(layout.keyFile(key), key);
  if (!record) return undefined;
  assertSafePostId(record.postId);
  let post = await readStoredPost(layout, record.postId);
  if (!post && record.post !== undefined) {
    await createFileExclusive(layout.postFile(record.postId), postFileText(parseEnvelope(record.postId, record.post)));
    post = await readStoredPost(layout, record.postId);
  }
  if (post && post.key !== key) {
    throw new StoreError('corrupt', post.postId, `idempotency key ${quoted(key)} points to post ${post.postId}, which holds another key`);
  }
  return post;
}
