import type { Pool } from 'pg';
import type { LeaseRef } from '../store.js';
import { storedMs } from './epoch-ms.js';
import type { StoreSql } from './store-sql.js';

/** One lease as a map key: a post and its token. */
const leaseId = (postId: string, token: string): string => JSON.stringify([postId, token]);

/**
 * WorkQueue.renew: one UPDATE for all of `held` (one round trip however
 * many), writing `lease_until` alone, on the rows whose lease is still
 * `owner`'s under that token. Resolves to the ids of `held` it did not
 * renew (their lease is no longer the owner's), in the order given.
 */
export async function renewLeases(pool: Pool, sql: StoreSql, owner: string, held: readonly LeaseRef[], until: number): Promise<string[]> {
  if (held.length === 0) return [];
  const { rows } = await pool.query<{ post_id: string; lease_token: string }>(sql.renew, [held.map((h) => h.postId), held.map((h) => h.token), storedMs(until), owner]);
  const renewed = new Set(rows.map((row) => leaseId(row.post_id, row.lease_token)));
  return held.filter((h) => !renewed.has(leaseId(h.postId, h.token))).map((h) => h.postId);
}
