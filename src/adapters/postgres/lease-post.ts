import type { PoolClient } from 'pg';
import { leaseAllowed, withLease } from '../lease-rules.js';
import type { LeaseRequest, PostEnvelope } from '../store.js';
import { storedEnvelope } from '../stored-envelope.js';
import { storedMs } from './epoch-ms.js';
import { envelopeFromRow, type PostRow } from './post-row.js';
import type { StoreSql } from './store-sql.js';

/**
 * Store.lease inside a transaction on `client`: reads the post `FOR UPDATE`
 * (so no other writer moves it meanwhile), decides in JS with the shared
 * lease rules (the `takeOver` callback included), then writes the lease and
 * bumps the version. Undefined when the post is absent or someone else
 * holds it; a row that cannot be read throws its StoreError.
 */
export async function leasePost(client: PoolClient, sql: StoreSql, postId: string, request: LeaseRequest): Promise<PostEnvelope | undefined> {
  const { rows } = await client.query<PostRow>(sql.getForUpdate, [postId]);
  const row = rows[0];
  if (!row) return undefined;
  const current = envelopeFromRow(row);
  if (!leaseAllowed(current, request)) return undefined;
  const lease = storedEnvelope(withLease(current, request), current.version + 1, { compactFinished: false }).lease;
  const { rows: written } = await client.query<PostRow>(sql.setLease, [postId, lease?.owner, storedMs(lease?.until)]);
  return written[0] && envelopeFromRow(written[0]);
}
