import type { PostEnvelope } from './envelope.js';
import type { PostQuery } from './store.js';

/**
 * Whether `post` matches every filter of `query`: the one rule of
 * listings for the adapters that decide in JavaScript (memory, file);
 * PostgreSQL says the same in SQL (postgres/list-sql.ts).
 */
export function matchesQuery(post: PostEnvelope, query: PostQuery): boolean {
  if (query.status === 'unfinished' && post.status !== 'active') return false;
  if (query.state !== undefined && post.state !== query.state) return false;
  if (query.account !== undefined && post.account !== query.account) return false;
  if (query.key !== undefined && post.key !== query.key) return false;
  if (query.from !== undefined || query.to !== undefined) {
    if (post.publishAt === undefined) return false;
    if (query.from !== undefined && post.publishAt < query.from) return false;
    if (query.to !== undefined && post.publishAt >= query.to) return false;
  }
  return true;
}
