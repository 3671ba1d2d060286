import { parseEnvelope, type PostEnvelope } from '../envelope.js';
import { quoted } from '../printable.js';
import { StoreError } from '../store-errors.js';
import { createFileExclusive } from './atomic-file.js';
import type { JournalIndex } from './journal-index.js';
import { readKeyFile } from './key-file.js';
import { postFileText } from './post-file.js';
import { readStoredPost } from './post-state.js';
import { assertSafePostId, type StoreLayout } from './store-layout.js';
import type { Durability } from './sync-rounds.js';

/**
 * The post holding idempotency key `key` (with its lease), or undefined
 * when the key is free: the post its key file names, or failing that the
 * one a journal record gives the key to (a create whose key file is not
 * written yet, or whose process died before writing it: create-post.ts).
 * Callers that must see other processes' latest creates refresh the index
 * first.
 *
 * A key file left by a create of an older igflow that crashed between
 * claiming the key and writing the post still holds the post's first
 * envelope: the post is written out here from it (created exclusively: a
 * create still under way, or another process doing the same, cannot be
 * overwritten), so a claimed key never ends up with no post. A key that
 * points to a post holding another key is a `corrupt` StoreError.
 */
export async function keyHolder(layout: StoreLayout, index: JournalIndex, durability: Durability, key: string): Promise<PostEnvelope | undefined> {
  const record = await readKeyFile(layout.keyFile(key), key);
  const postId = record?.postId ?? index.postIdOfKey(key);
  if (postId === undefined) return undefined;
  assertSafePostId(postId);
  let post = await readStoredPost(layout, index, postId);
  if (!post && record?.post !== undefined) {
    await createFileExclusive(layout.postFile(postId), postFileText(parseEnvelope(postId, record.post)), durability);
    post = await readStoredPost(layout, index, postId);
  }
  if (post && post.key !== key) {
    throw new StoreError('corrupt', post.postId, `idempotency key ${quoted(key)} points to post ${post.postId}, which holds another key`);
  }
  return post;
}
