import { claimOf } from '../lease-rules.js';
import type { PostEnvelope } from '../envelope.js';
import { sortPosts, sortProblems } from '../post-order.js';
import { StaleWriteError } from '../store-errors.js';
import type { CreateResult, Listing, PostRepository, StoreProblem } from '../store.js';
import { storedEnvelope } from '../stored-envelope.js';
import { storedMs } from './epoch-ms.js';
import type { PgContext } from './pg-context.js';
import { pgStoreError } from './pg-errors.js';
import type { ListStatement } from './list-sql.js';
import { envelopeFromRow, insertValues, putValues, type PostRow } from './post-row.js';

/**
 * The PostgreSQL store's {@link PostRepository}:
 *
 * - `create` is one `INSERT … ON CONFLICT DO NOTHING` (the claim, when
 *   asked for, in the same row): of racing creators of one key, in any
 *   process, one inserts and the others read its post;
 * - `put` is one compare-and-set `UPDATE … WHERE version = $expected` of
 *   the content columns: the key and the lease columns are never written;
 * - every row is validated when read: one that fails is a StoreError for
 *   that post alone (listings report it under `problems`, by its key column).
 */
export function pgPosts(ctx: PgContext): PostRepository {
  const { pool, sql, channel, compact, run } = ctx;

  const one = async (text: string, values: unknown[]): Promise<PostEnvelope | undefined> => {
    const { rows } = await pool.query<PostRow>(text, values);
    return rows[0] && envelopeFromRow(rows[0]);
  };

  const versionOf = async (postId: string): Promise<number | undefined> => {
    const { rows } = await pool.query<{ version: number | string }>(sql.versionOf, [postId]);
    return rows[0] && Number(rows[0].version);
  };

  const list = async (statement: ListStatement): Promise<Listing> => {
    const { rows } = await pool.query<PostRow>(statement.text, [...statement.values]);
    const posts: PostEnvelope[] = [];
    const problems: StoreProblem[] = [];
    for (const row of rows) {
      try {
        posts.push(envelopeFromRow(row));
      } catch (error) {
        const key = row.idempotency_key ?? undefined;
        problems.push({ postId: row.post_id, ...(key === undefined ? {} : { key }), error: pgStoreError(error, row.post_id, `read post ${row.post_id}`, ctx.secrets) });
      }
    }
    return { posts: sortPosts(posts), problems: sortProblems(problems) };
  };

  return {
    get: (postId) => run(postId, `read post ${postId}`, () => one(sql.get, [postId])),

    findByKey: (key) => run('', `find the post of key ${JSON.stringify(key)}`, () => one(sql.findByKey, [key])),

    create: (post, claimFor) =>
      run(post.postId, `create post ${post.postId}`, async (): Promise<CreateResult> => {
        const fresh = storedEnvelope({ ...post, lease: undefined }, 1, compact);
        // the lease as it is stored: its end rounded up to a whole ms, validated with the post
        const claim = claimFor === undefined ? undefined : claimOf(fresh, { owner: claimFor.owner, until: storedMs(claimFor.until) });
        const row = storedEnvelope(claim?.post ?? fresh, 1, compact);
        const created = await one(sql.insert, [...insertValues(row), channel]);
        if (created) return { created: true, post: created, claim: claim && { post: structuredClone(created), lease: claim.lease } };
        const holder = row.key === undefined ? undefined : await one(sql.findByKey, [row.key]);
        if (holder) return { created: false, post: holder };
        throw new StaleWriteError(row.postId, 0, await versionOf(row.postId));
      }),

    list: (query = {}) => run('', query.status === 'unfinished' ? 'list unfinished posts' : 'list posts', () => list(sql.list(query))),

    put: (post, expectedVersion) =>
      run(post.postId, `write post ${post.postId}`, async () => {
        const next = storedEnvelope({ ...post, key: undefined, lease: undefined }, expectedVersion + 1, compact);
        const written = await one(sql.put, [...putValues(next, expectedVersion), channel]);
        if (written) return written;
        throw new StaleWriteError(post.postId, expectedVersion, await versionOf(post.postId));
      }),
  };
}
