import { closeSync, openSync, statSync } from 'node:fs';
import type { PostEnvelope } from '../envelope.js';
import { quoted } from '../printable.js';
import { StoreError } from '../store-errors.js';
import { createFileExclusive, writeFileAtomic, writeFileVisible } from './atomic-file.js';
import { errno } from './errno.js';
import { keyFileText, readKeyFile } from './key-file.js';
import { postFileText } from './post-file.js';
import type { PostState } from './post-state.js';
import type { FileStoreContext } from './store-context.js';

/**
 * Creates the key file `{ key, postId }` of a post whose create was
 * journalled (create-post.ts). A key file already there is fine when it
 * names the post; one naming another post is a `corrupt` StoreError (two
 * posts would claim one key).
 */
export async function createKeyFile(ctx: FileStoreContext, key: string, postId: string): Promise<void> {
  const path = ctx.layout.keyFile(key);
  if (await createFileExclusive(path, keyFileText({ key, postId }), ctx.durability)) return;
  const holder = await readKeyFile(path, key);
  if (holder?.postId !== postId) throw new StoreError('corrupt', postId, `idempotency key ${quoted(key)} was claimed by this post's journal record, but its key file names ${holder ? `post ${holder.postId}` : 'no post'}`);
}

/** {@link createKeyFile} unless the key file exists already (one `stat`). */
async function ensureKeyFile(ctx: FileStoreContext, key: string, postId: string): Promise<void> {
  try {
    statSync(ctx.layout.keyFile(key));
    return;
  } catch (error) {
    if (errno(error) !== 'ENOENT') throw error;
  }
  await createKeyFile(ctx, key, postId);
}

/**
 * Writes `post` (at its version; without its lease) to its post file,
 * atomically; `beforeCommit` as in writeFileAtomic. Durably (fsynced)
 * unless `durably` is false, which only a post whose version this store's
 * journal holds may be written with (the journal keeps the record until
 * the file is fsynced: journal-writer.ts). A post getting its first post
 * file gets its key file first when it lacks one (the process that
 * journalled its create died before writing it): a post file never exists
 * without its key file, which is what lets a post leave the journal.
 */
export async function writePostFile(ctx: FileStoreContext, post: PostEnvelope, state: PostState, beforeCommit?: () => void, durably = true): Promise<void> {
  if (state.fileVersion === undefined && post.key !== undefined) await ensureKeyFile(ctx, post.key, post.postId);
  if (durably) await writeFileAtomic(ctx.layout.postFile(post.postId), postFileText(post), beforeCommit, ctx.durability);
  else writeFileVisible(ctx.layout.postFile(post.postId), postFileText(post), beforeCommit);
}

/** Fsyncs a post file as it is (and its directory): one that another process wrote without fsync, before its journal goes. */
export async function syncPostFile(ctx: FileStoreContext, postId: string): Promise<void> {
  const fd = openSync(ctx.layout.postFile(postId), 'r');
  try {
    await ctx.durability.file(fd);
  } finally {
    closeSync(fd);
  }
  await ctx.durability.dir(ctx.layout.posts);
}
