import type { PoolClient } from 'pg';
import { claimable } from '../claim-rules.js';
import { ENVELOPE_VERSION, Lease, StoreError, type ClaimRequest, type PostEnvelope } from '../store.js';
import { comparableNow, readMs, storedMs } from './epoch-ms.js';
import { envelopeFromRow, type PostRow } from './post-row.js';
import type { StoreSql } from './store-sql.js';

/** `takeOver`, asked once per distinct lease in one claim. */
function rememberingTakeOver(takeOver: ((held: Lease) => boolean) | undefined): ((held: Lease) => boolean) | undefined {
  if (!takeOver) return undefined;
  const answers = new Map<string, boolean>();
  return (held) => {
    const id = JSON.stringify([held.owner, held.until]);
    let answer = answers.get(id);
    if (answer === undefined) answers.set(id, (answer = takeOver({ ...held }) === true));
    return answer;
  };
}

/** The due posts under a live lease of someone else that `takeOver` lets the request steal. */
async function takeableIds(client: PoolClient, sql: StoreSql, request: ClaimRequest, takeOver: (held: Lease) => boolean): Promise<string[]> {
  type Leased = { post_id: string; lease_owner: string; lease_until: string | number | bigint };
  const { rows } = await client.query<Leased>(sql.dueLeasedElsewhere, [ENVELOPE_VERSION, comparableNow(request.now), request.owner]);
  return rows.filter((r) => takeOver({ owner: r.lease_owner, until: readMs(r.lease_until) ?? 0 })).map((r) => r.post_id);
}

/**
 * Store.claimDue inside one transaction on `client`:
 *
 * 1. with a `takeOver` callback, list (without locking) the due posts under
 *    someone else's live lease and ask it about each distinct lease;
 * 2. select the due posts that are free (or were just found takeable) in due
 *    order, `FOR UPDATE SKIP LOCKED`, so a post another worker is claiming
 *    or writing right now is skipped rather than waited for or taken twice;
 * 3. check each in JS with the shared rules (a row that cannot be read, or
 *    whose lease changed since step 1, is passed over and more are fetched);
 * 4. lease the chosen ones to `owner` and bump their versions, in one UPDATE.
 *
 * Returns them earliest due first.
 */
export async function claimDueIn(client: PoolClient, sql: StoreSql, request: ClaimRequest): Promise<PostEnvelope[]> {
  const limit = Math.floor(request.limit);
  if (!(limit > 0)) return [];
  const lease = Lease.safeParse({ owner: request.owner, until: request.until });
  if (!lease.success) throw new StoreError('corrupt', '', `refusing to claim with an invalid lease ${JSON.stringify({ owner: request.owner, until: request.until })}`);
  const takeOver = rememberingTakeOver(request.takeOver);
  const rules = { ...request, takeOver };
  const takeable = takeOver ? await takeableIds(client, sql, request, takeOver) : [];
  const chosen: string[] = [];
  const seen: string[] = [];
  while (chosen.length < limit) {
    const want = limit - chosen.length;
    const { rows } = await client.query<PostRow>(sql.claimCandidates, [ENVELOPE_VERSION, comparableNow(request.now), takeable, seen, want, request.accounts ?? null]);
    for (const row of rows) {
      seen.push(row.post_id);
      let post: PostEnvelope;
      try {
        post = envelopeFromRow(row);
      } catch {
        continue; // unreadable: listings report it; it is not worked on
      }
      if (claimable(post, rules)) chosen.push(post.postId);
    }
    if (rows.length < want) break;
  }
  if (chosen.length === 0) return [];
  const { rows } = await client.query<PostRow>(sql.leaseAll, [chosen, request.owner, storedMs(request.until)]);
  const leased = new Map(rows.map((row) => [row.post_id, envelopeFromRow(row)]));
  return chosen.flatMap((postId) => leased.get(postId) ?? []);
}
