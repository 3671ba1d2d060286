import { readdir } from 'node:fs/promises';
import type { PostEnvelope } from '../envelope.js';
import { sortPosts, sortProblems } from '../post-order.js';
import { DamagedPostError } from '../store-errors.js';
import type { Listing, PostQuery, StoreProblem } from '../store.js';
import { forEachBounded } from './bounded-map.js';
import { ignoreMissing } from './errno.js';
import { keysOfPosts } from './keys-of-posts.js';
import { asStoreError } from './post-file.js';
import { readStoredPost } from './post-state.js';
import { removeStaleTemps, removeStaleTempsIn } from './stale-temps.js';
import type { FileStoreContext } from './store-context.js';
import { isSafeId } from './store-layout.js';

/** How many posts a listing reads at once. */
const READ_CONCURRENCY = 64;

/** The post ids among a directory's names that end in `suffix`. */
const idsEndingIn = (names: readonly string[], suffix: string): string[] => names.filter((n) => n.endsWith(suffix)).map((n) => n.slice(0, -suffix.length)).filter(isSafeId);

/**
 * PostRepository.list on files: the index of the journals is refreshed
 * first (so a post whose writes are still all in a journal, and is
 * compacted meanwhile, is found in one place or the other), then one
 * listing of `posts/` names the post files and the lease files, and the
 * posts (those files name and those only journals hold) are read 64 at a
 * time, each with its lease file only when the listing named one (a post
 * nobody holds costs one read). An unreadable post is reported under `problems` (with
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
    await Promise.all([
      removeStaleTemps(layout.posts, names, ctx.staleMs),
      keysSwept,
      forEachBounded([...ids], READ_CONCURRENCY, async (postId) => {
        try {
          const post = await readStoredPost(layout, ctx.index, postId, { postFile: filed.has(postId), leaseFile: leased.has(postId) });
          if (post && (query.status !== 'unfinished' || post.status === 'active')) posts.push(post);
        } catch (error) {
          problems.push({ postId, error: asStoreError(postId, error) });
        }
      }),
    ]);
    return { posts: sortPosts(posts), problems: sortProblems(await withKeys(problems)) };
  };
}
