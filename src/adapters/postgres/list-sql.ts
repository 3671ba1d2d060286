import type { PostQuery } from '../store.js';
import { storedMs } from './epoch-ms.js';

/** A listing as one statement: its text and its parameters. */
export interface ListStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * The SELECT of a listing (PostRepository.list) over `posts` (`columns`
 * selected): only the filters given become conditions, each one a column
 * an index of migration 5 leads with (`posts_list_state`,
 * `posts_list_account`, `posts_list_publish_at`; the key's unique index;
 * `posts_due` for unfinished), so PostgreSQL never reads every row to
 * answer a filtered listing. The same rule as post-query.ts.
 */
export function listStatement(posts: string, columns: string, query: PostQuery): ListStatement {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  if (query.status === 'unfinished') conditions.push(`status = 'active'`);
  if (query.state !== undefined) conditions.push(`state = ${param(query.state)}`);
  if (query.account !== undefined) conditions.push(`account = ${param(query.account)}`);
  if (query.key !== undefined) conditions.push(`idempotency_key = ${param(query.key)}`);
  if (query.from !== undefined || query.to !== undefined) conditions.push('publish_at IS NOT NULL');
  if (query.from !== undefined) conditions.push(`publish_at >= ${param(storedMs(query.from))}`);
  if (query.to !== undefined) conditions.push(`publish_at < ${param(storedMs(query.to))}`);
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  return { text: `SELECT ${columns} FROM ${posts}${where}`, values };
}
