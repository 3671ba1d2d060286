import type { PostEnvelope } from '../adapters/envelope.js';
import type { PostQuery, PostRepository, StoreProblem } from '../adapters/store.js';

/** A stored post as listings and `get` show it: everything but the machine snapshot. */
export type PostView = Omit<PostEnvelope, 'snapshot'>;

/** What engine.list takes: the store's filters (PostQuery), with times as ISO-8601 strings, epoch ms or Dates. */
export interface ListQuery extends Omit<PostQuery, 'from' | 'to'> {
  /** Posts going live at or after this. */
  readonly from?: string | number | Date;
  /** Posts going live before this. */
  readonly to?: string | number | Date;
}

/** A post's envelope without its snapshot. */
export function viewOf(post: PostEnvelope): PostView {
  const { snapshot: _snapshot, ...view } = post;
  return view;
}

/** Epoch ms of a time given as ISO-8601, epoch ms or a Date; a TypeError names `what` when it is not a time. */
export function timeOf(value: string | number | Date, what: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new TypeError(`igflow: ${what} is not a time (ISO-8601, epoch ms or a Date)`);
  return ms;
}

/**
 * The stored posts that match `query`, oldest first, without snapshots, and
 * the problems of posts that could not be read: one store listing (an
 * indexed query on PostgreSQL).
 */
export async function listPosts(posts: PostRepository, query: ListQuery = {}): Promise<{ readonly posts: readonly PostView[]; readonly problems: readonly StoreProblem[] }> {
  const { from, to, ...rest } = query;
  const storeQuery: PostQuery = { ...rest, ...(from === undefined ? {} : { from: timeOf(from, 'from') }), ...(to === undefined ? {} : { to: timeOf(to, 'to') }) };
  const listing = await posts.list(storeQuery);
  return { posts: listing.posts.map(viewOf), problems: listing.problems };
}
