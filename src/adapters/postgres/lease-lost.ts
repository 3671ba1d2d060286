import type { Pool } from 'pg';
import { LeaseLostError } from '../store-errors.js';
import type { Claim } from '../store.js';
import type { StoreSql } from './store-sql.js';

/** The columns `holderOf` reads. */
interface HolderRow {
  readonly post_id: string;
  readonly version: number | string;
  readonly lease_owner: string | null;
  readonly lease_token: string | null;
}

/** Why `claim` no longer holds its post, as lease-rules.ts `assertHeld` words it, from the row as it is now (undefined: gone). */
export function whyLost(row: HolderRow | undefined, claim: Claim): string {
  if (row === undefined) return 'it is gone from the store';
  if (row.lease_token !== claim.lease.token) return row.lease_owner === null ? 'its lease was given up' : `it is held by ${row.lease_owner}`;
  const version = Number(row.version);
  if (version !== claim.post.version) return `it changed meanwhile (version ${version}, this worker had ${claim.post.version})`;
  return 'it changed meanwhile';
}

/**
 * The LeaseLostError for a claimed write that matched no row, after one
 * cheap read (the version and lease columns) to say why. The write was
 * refused whatever that read finds; when the read itself fails, the error
 * says so instead of why.
 */
export async function leaseLost(pool: Pool, sql: StoreSql, claim: Claim): Promise<LeaseLostError> {
  const postId = claim.post.postId;
  try {
    const { rows } = await pool.query<HolderRow>(sql.holderOf, [postId]);
    return new LeaseLostError(postId, whyLost(rows[0], claim));
  } catch {
    return new LeaseLostError(postId, 'its lease or version no longer matches the store (the store could not be asked why)');
  }
}
