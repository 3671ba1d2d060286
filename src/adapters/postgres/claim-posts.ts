import type { PoolClient } from 'pg';
import { ENVELOPE_VERSION, Lease, type PostEnvelope } from '../envelope.js';
import { claimable, claimOf, newLeaseToken } from '../lease-rules.js';
import type { Claim, ClaimRequest } from '../store.js';
import { StoreError } from '../store-errors.js';
import { comparableNow, readMs, storedMs } from './epoch-ms.js';
import { envelopeFromRow, leaseFromRow, type LeaseColumns, type PostRow } from './post-row.js';
import type { StoreSql } from './store-sql.js';

/** `takeOver`, asked once per lease (owner, token and end) in one claim, however often the rules look at it. */
function rememberingTakeOver(takeOver: ((held: Lease) => boolean) | undefined): ((held: Lease) => boolean) | undefined {
  if (!takeOver) return undefined;
  const answers = new Map<string, boolean>();
  return (held) => {
    const id = JSON.stringify([held.owner, held.token, held.until]);
    let answer = answers.get(id);
    if (answer === undefined) answers.set(id, (answer = takeOver({ ...held }) === true));
    return answer;
  };
}

/** The posts under a live lease of someone else (due, or among the named ones) that `takeOver` lets the request take. */
async function takeableIds(client: PoolClient, sql: StoreSql, request: ClaimRequest, takeOver: (held: Lease) => boolean): Promise<string[]> {
  const common = [ENVELOPE_VERSION, comparableNow(request.now), request.owner, request.accounts ?? null];
  const { rows } = request.postIds === undefined ? await client.query<LeaseColumns>(sql.dueLeasedElsewhere, common) : await client.query<LeaseColumns>(sql.namedLeasedElsewhere, [...common, request.postIds]);
  return rows.filter((row) => row.lease_owner !== null && row.lease_token !== null && takeOver({ owner: row.lease_owner, token: row.lease_token, until: readMs(row.lease_until) ?? 0 })).map((row) => row.post_id);
}

/** Claims in the order they are made: earliest due first, then oldest (claim-rules.ts). */
const dueOrder = (a: Claim, b: Claim): number => (a.post.wakeAt ?? 0) - (b.post.wakeAt ?? 0) || a.post.createdAt - b.post.createdAt || (a.post.postId < b.post.postId ? -1 : 1);

/**
 * WorkQueue.claim inside one transaction on `client`:
 *
 * 1. with a `takeOver` callback, list (without locking) the posts asked for
 *    (the named ones, or the due ones) under someone else's live lease, and
 *    ask it once about each lease;
 * 2. select the posts asked for that are free (or were just found
 *    takeable) in due order, `FOR UPDATE SKIP LOCKED`, so a post another
 *    worker is claiming or writing right now is skipped rather than waited
 *    for or taken twice;
 * 3. check each in JS with the shared rules (lease-rules.ts `claimable`): a
 *    row that cannot be read, or whose lease changed since step 1, is
 *    passed over and more are fetched;
 * 4. give each chosen post a new lease token (`claimOf`) and write the
 *    leases in one UPDATE of the lease columns alone: the version stays.
 *
 * Returns the claims, earliest due first.
 */
export async function claimIn(client: PoolClient, sql: StoreSql, request: ClaimRequest): Promise<Claim[]> {
  const limit = Math.floor(request.limit);
  if (!(limit > 0) || request.postIds?.length === 0) return [];
  if (!Lease.safeParse({ owner: request.owner, token: newLeaseToken(), until: request.until }).success) {
    throw new StoreError('corrupt', '', `refusing to claim with an invalid lease (owner ${JSON.stringify(request.owner)}, until ${String(request.until)})`);
  }
  // the lease as it is stored: its end rounded up to a whole ms
  const granting = { owner: request.owner, until: storedMs(request.until) };
  const takeOver = rememberingTakeOver(request.takeOver);
  const rules: ClaimRequest = { ...request, takeOver };
  const takeable = takeOver ? await takeableIds(client, sql, request, takeOver) : [];
  const chosen: Claim[] = [];
  const seen: string[] = [];
  while (chosen.length < limit) {
    const want = limit - chosen.length;
    const common = [ENVELOPE_VERSION, comparableNow(request.now), takeable, seen, want, request.accounts ?? null];
    const { rows } = request.postIds === undefined ? await client.query<PostRow>(sql.dueCandidates, common) : await client.query<PostRow>(sql.namedCandidates, [...common, request.postIds, request.owner]);
    for (const row of rows) {
      seen.push(row.post_id);
      let post: PostEnvelope;
      try {
        post = envelopeFromRow(row);
      } catch {
        continue; // unreadable: listings report it; it is not worked on
      }
      if (claimable(post, rules)) chosen.push(claimOf(post, granting));
    }
    if (rows.length < want) break;
  }
  if (chosen.length === 0) return [];
  const { rows } = await client.query<LeaseColumns>(sql.grantLeases, [chosen.map((c) => c.post.postId), chosen.map((c) => c.lease.token), request.owner, granting.until]);
  const granted = new Map(rows.map((row) => [row.post_id, leaseFromRow(row)]));
  for (const claim of chosen) {
    if (granted.get(claim.post.postId)?.token !== claim.lease.token) throw new StoreError('io', claim.post.postId, `the lease of post ${claim.post.postId} was not written as claimed`);
  }
  return chosen.sort(dueOrder);
}
