import type { PostEnvelope } from './envelope.js';
import type { StoreProblem } from './store.js';

/** Posts in listing order: oldest first (`createdAt`), then by `postId`, so listings are stable. */
export function sortPosts(posts: PostEnvelope[]): PostEnvelope[] {
  return posts.sort((a, b) => a.createdAt - b.createdAt || (a.postId < b.postId ? -1 : a.postId > b.postId ? 1 : 0));
}

/** Problems in listing order: by `postId`. */
export function sortProblems(problems: StoreProblem[]): StoreProblem[] {
  return problems.sort((a, b) => (a.postId < b.postId ? -1 : a.postId > b.postId ? 1 : 0));
}
