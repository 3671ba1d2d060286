import type { Lease, PostEnvelope } from '../envelope.js';
import type { JournalIndex } from './journal-index.js';
import { readLeaseFile } from './lease-file.js';
import { readPostFile, TornPostFileError } from './post-file.js';
import { readTextNow, readTextQueued } from './small-file.js';
import type { StoreLayout } from './store-layout.js';

/** A post as the store holds it, with where its parts are; see {@link readPostState}. */
export interface PostState {
  /** The post: its newest envelope, with the lease of its lease file; undefined when it does not exist. */
  readonly post: PostEnvelope | undefined;
  /** The version its post file holds; undefined when it has none (its writes are all in a journal still). */
  readonly fileVersion: number | undefined;
  /** Whether it has a lease file. */
  readonly leased: boolean;
}

/** How to read a post: what a directory listing already told about its files (so as not to look for what is not there), and whether at once. */
export interface KnownFiles {
  readonly postFile?: boolean;
  readonly leaseFile?: boolean;
  /** Read on the calling thread (small-file.ts): for the one post a write reads under its lock. Default false: through the thread pool. */
  readonly now?: boolean;
}

/**
 * Reads a post: its post file and its lease file (at once), merged with
 * the newest journal record of it (journal-index.ts). The content is the
 * newest of the two by version (every write of a post's content bumps it,
 * under the post's lock, whoever writes); the lease is always the lease
 * file's (leases never go to a journal). A damaged post file, lease file or
 * journal record throws its DamagedPostError: a damaged file might be
 * newer than any record, so it is never passed over. The one exception is
 * a post file that is empty or only zero bytes while a journal holds the
 * post: what a power loss leaves of a post file written from the journal
 * without fsync, whose journal record is kept until the file is fsynced
 * (journal-writer.ts); the record is then the post.
 *
 * How fresh: the index is as of its last refresh, and the caller refreshes
 * it when it must see other processes' latest writes (readers, and every
 * decision taken under a lock, except the writes of a post's holder: no
 * one else journals a post while its lease is held).
 *
 * Without the post's lock, a reader racing a claim or a park may pair the
 * post with the lease of just before or just after; every decision on the
 * pair (claim, write) is made again under the lock.
 */
export async function readPostState(layout: StoreLayout, index: JournalIndex, postId: string, known: KnownFiles = {}): Promise<PostState> {
  const text = known.now === true ? readTextNow : readTextQueued;
  const [read, lease] = await Promise.all([
    known.postFile === false ? { file: undefined } : readPostFile(layout.postFile(postId), postId, text).then((file) => ({ file }), (error: unknown) => ({ error })),
    known.leaseFile === false ? undefined : readLeaseFile(layout.leaseFile(postId), postId, text),
  ]);
  const record = index.entry(postId);
  if (record !== undefined && 'damage' in record) throw record.damage;
  if ('error' in read) {
    if (read.error instanceof TornPostFileError && record !== undefined) return merged(record.post, undefined, lease);
    throw read.error;
  }
  const { file } = read;
  return merged(record !== undefined && (file === undefined || record.post.version > file.version) ? record.post : file, file?.version, lease);
}

const merged = (post: PostEnvelope | undefined, fileVersion: number | undefined, lease: Lease | undefined): PostState => ({
  post: post === undefined || lease === undefined ? post : { ...post, lease },
  fileVersion,
  leased: lease !== undefined,
});

/** {@link readPostState}'s post alone. */
export async function readStoredPost(layout: StoreLayout, index: JournalIndex, postId: string, known: KnownFiles = {}): Promise<PostEnvelope | undefined> {
  return (await readPostState(layout, index, postId, known)).post;
}
