import type { Pool } from 'pg';
import type { PostChanges, PostEnvelope } from '../envelope.js';
import { withChanges } from '../lease-rules.js';
import type { Claim } from '../store.js';
import { storedEnvelope, type StoredEnvelopeOptions } from '../stored-envelope.js';
import { storedMs } from './epoch-ms.js';
import { leaseLost } from './lease-lost.js';
import { leaseFromRow, toJson, type LeaseColumns } from './post-row.js';
import type { StoreSql } from './store-sql.js';

/** What the claimed writes need: the pool, the statements, the notify channel, and whether finished posts are compacted. */
export interface ClaimedWriter {
  readonly pool: Pool;
  readonly sql: StoreSql;
  readonly channel: string;
  readonly compact: StoredEnvelopeOptions;
}

/** The post a holder's `changes` make of its claim, at the next version, validated (and compacted) as it will be stored. */
function nextOf(writer: ClaimedWriter, claim: Claim, changes: PostChanges): PostEnvelope {
  return storedEnvelope(withChanges(claim.post, changes), claim.post.version + 1, writer.compact);
}

/**
 * Parameters $1..$12 of store-sql.ts `save` and `saveAndRelease`. The
 * snapshot is sent only when it changes (given in `changes`, or dropped by
 * compaction); otherwise the stored one stays. The claim's version and
 * token guarantee the row holds what `claim.post` holds, so the other
 * progress columns are sent as `next` has them.
 */
function progressValues(claim: Claim, changes: PostChanges, next: PostEnvelope): unknown[] {
  const postId = next.postId;
  const writeSnapshot = Object.hasOwn(changes, 'snapshot') || next.snapshot === undefined;
  return [
    postId,
    claim.post.version,
    claim.lease.token,
    next.state,
    next.status,
    storedMs(next.wakeAt),
    next.waitReason ?? null,
    storedMs(next.updatedAt),
    toJson(postId, 'result', next.result),
    writeSnapshot,
    writeSnapshot ? toJson(postId, 'snapshot', next.snapshot) : null,
    storedMs(next.publishingSince),
  ];
}

/** A copy of `post` as the store now holds it (through JSON, as a read gives it back), so the caller's values and the result share nothing. */
const asStored = (post: PostEnvelope): PostEnvelope => JSON.parse(JSON.stringify(post)) as PostEnvelope;

/** WorkQueue.save: one UPDATE checked against the claim; the claim at the new version, or LeaseLostError. */
export async function savePost(writer: ClaimedWriter, claim: Claim, changes: PostChanges): Promise<Claim> {
  const next = nextOf(writer, claim, changes);
  const { rows } = await writer.pool.query<LeaseColumns & { version: number | string }>(writer.sql.save, progressValues(claim, changes, next));
  const row = rows[0];
  if (!row) throw await leaseLost(writer.pool, writer.sql, claim);
  const stored = asStored(next);
  return { post: { ...stored, version: Number(row.version), lease: leaseFromRow(row) ?? claim.lease }, lease: claim.lease };
}

/** WorkQueue.park and finish, and release with changes: one UPDATE checked against the claim that writes `changes` and gives the lease up (notifying idle workers when the post is free to claim). */
export async function saveAndRelease(writer: ClaimedWriter, claim: Claim, changes: PostChanges): Promise<void> {
  const next = nextOf(writer, claim, changes);
  const { rows } = await writer.pool.query(writer.sql.saveAndRelease, [...progressValues(claim, changes, next), writer.channel]);
  if (rows.length === 0) throw await leaseLost(writer.pool, writer.sql, claim);
}

/** WorkQueue.release without changes: one UPDATE checked against the claim that gives the lease up and writes nothing else (the version stays). */
export async function releasePost(writer: ClaimedWriter, claim: Claim): Promise<void> {
  const { rows } = await writer.pool.query(writer.sql.release, [claim.post.postId, claim.post.version, claim.lease.token, writer.channel]);
  if (rows.length === 0) throw await leaseLost(writer.pool, writer.sql, claim);
}
