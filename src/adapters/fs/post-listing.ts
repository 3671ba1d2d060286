import { matchesQuery } from '../post-query.js';
import { readdir } from 'node:fs/promises';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { PostEnvelope } from '../envelope.js';
import { sortPosts, sortProblems } from '../post-order.js';
import { DamagedPostError } from '../store-errors.js';
import type { Listing, PostQuery, StoreProblem } from '../store.js';
import { ignoreMissing } from './errno.js';
import { keysOfPosts } from './keys-of-posts.js';
import { asStoreError } from './post-file.js';
import { readStoredPost } from './post-state.js';
import { removeStaleTemps, removeStaleTempsIn } from './stale-temps.js';
import type { FileStoreContext } from './store-context.js';
import { isSafeId } from './store-layout.js';

/** How many posts a listing reads between two turns of the event loop. */
const READ_CHUNK = 128;

/** The post ids among a directory's names that end in `suffix`. */
const idsEndingIn = (names: readonly string[], suffix: string): string[] => names.filter((n) => n.endsWith(suffix)).map((n) => n.slice(0, -suffix.length)).filter(isSafeId);

/**
 * PostRepository.list on files: the index of the journals is refreshed
 * first (so a post whose writes are still all in a journal, and is
 * compacted meanwhile, is found in one place or the other), then one
 * listing of `posts/` names the post files and the lease files, and the
 * posts (those files name and those only journals hold) are read, each with
 * its lease file only when the listing named one (a post nobody holds costs
 * one read). The reads are made at once, on the calling thread, 128 posts
 * between two turns of the event loop: a post file is a few KB in the page
 * cache, read in microseconds, while a read through libuv's pool (open,
 * fstat, read, close, each a round trip) cost five times as much CPU,
 * measured over 10,000 posts. An unreadable post is reported under `problems` (with
 * its idempotency key when its id derives from one and the key index has
 * it) and the others carry on. While the posts are read, the temp files of
 * killed writes are removed from `posts/` (every listing) and `keys/`
 * (once per store object): see stale-temps.ts.
 */
export function postListing(ctx: FileStoreContext): (query?: PostQuery) => Promise<Listing> {
  const { layout } = ctx;
  let keysSwept: Promise<unknown> | undefined;

  /** Problems named by their posts' idempotency keys, where the key index tells them (the damaged files are not read again). */
  const withKeys = async (problems: StoreProblem[]): Promise<StoreProblem[]> => {
    if (problems.length === 0) return problems;
    const keys = await keysOfPosts(layout.keys, problems.map((p) => p.postId));
    return problems.map((problem) => {
      const key = keys.get(problem.postId);
      if (key === undefined) return problem;
      return { ...problem, key, error: problem.error instanceof DamagedPostError ? problem.error.withKey(key) : problem.error };
    });
  };

  return async (query = {}) => {
    await ctx.index.refresh();
    let names: string[] = [];
    try {
      names = await readdir(layout.posts);
    } catch (error) {
      ignoreMissing(error);
    }
    const leased = new Set(idsEndingIn(names, '.lease'));
    const filed = new Set(idsEndingIn(names, '.json'));
    const ids = new Set([...filed, ...ctx.index.postIds()]);
    const posts: PostEnvelope[] = [];
    const problems: StoreProblem[] = [];
    keysSwept ??= removeStaleTempsIn(layout.keys, ctx.staleMs);
    const readAll = async (): Promise<void> => {
      let read = 0;
      for (const postId of ids) {
        if (++read % READ_CHUNK === 0) await yieldToEvents();
        try {
          const post = await readStoredPost(layout, ctx.index, postId, { postFile: filed.has(postId), leaseFile: leased.has(postId), now: true });
          if (post && matchesQuery(post, query)) posts.push(post);
        } catch (error) {
          problems.push({ postId, error: asStoreError(postId, error) });
        }
      }
    };
    await Promise.all([removeStaleTemps(layout.posts, names, ctx.staleMs), keysSwept, readAll()]);
    return { posts: sortPosts(posts), problems: sortProblems(await withKeys(problems)) };
  };
}
