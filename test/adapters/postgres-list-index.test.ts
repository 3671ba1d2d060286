import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/adapters/postgres/migrate.js';
import { postgresMigrations } from '../../src/adapters/postgres/migrations.js';
import { storeSql } from '../../src/adapters/postgres/store-sql.js';
import type { PostQuery } from '../../src/adapters/store.js';
import { adminPool, assertPostgresReachable, closeAdminPool, dropSchema, freshSchema } from './fixtures/postgres-schema.js';

// Not reachable: the whole file fails, saying how to start PostgreSQL (never a silent skip).
await assertPostgresReachable();
afterAll(closeAdminPool);

/** The plan nodes of a statement, flattened: `Index Scan on posts_list_state`, `Seq Scan on posts`… */
function nodesOf(plan: { 'Node Type': string; 'Index Name'?: string; 'Relation Name'?: string; Plans?: unknown[] }): string[] {
  const here = `${plan['Node Type']}${plan['Index Name'] ? ` using ${plan['Index Name']}` : ''}${plan['Relation Name'] ? ` on ${plan['Relation Name']}` : ''}`;
  return [here, ...(plan.Plans ?? []).flatMap((p) => nodesOf(p as never))];
}

/**
 * engine.list on PostgreSQL answers each filter from an index of
 * migration 5 (or the key's unique one), never by reading every row: with
 * sequential scans priced out, the planner of each listing statement
 * still finds an index for it (a filter no index serves would fall back
 * to a Seq Scan whatever the price).
 */
describe('postgres listings use indexes', () => {
  let schema: string | undefined;
  afterEach(async () => {
    if (schema !== undefined) await dropSchema(schema);
  });

  const cases: ReadonlyArray<[string, PostQuery, RegExp]> = [
    ['state', { state: 'scheduled' }, /posts_list_state|posts_list_account/],
    ['account', { account: '17841400000000001' }, /posts_list_account/],
    ['account and state', { account: '17841400000000001', state: 'scheduled' }, /posts_list_account/],
    ['key', { key: 'k1' }, /posts_idempotency_key_key/],
    ['publish time', { from: 1_000, to: 2_000 }, /posts_list_publish_at/],
    ['unfinished', { status: 'unfinished' }, /posts_due/],
  ];
  for (const [name, query, index] of cases) {
    it(`by ${name}`, async () => {
      schema = freshSchema();
      await migrate(adminPool(), schema, postgresMigrations(schema));
      const statement = storeSql(schema).list(query);
      const client = await adminPool().connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off');
        const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: never }] }>(`EXPLAIN (FORMAT JSON) ${statement.text}`, [...statement.values]);
        const nodes = nodesOf(rows[0]!['QUERY PLAN'][0].Plan);
        expect(nodes.join(' / ')).toMatch(index);
        expect(nodes.some((n) => n.startsWith('Seq Scan'))).toBe(false);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    });
  }
});
