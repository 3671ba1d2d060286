import { ENVELOPE_VERSION } from '../envelope.js';
import type { WorkQueue } from '../store.js';
import { claimIn } from './claim-posts.js';
import { releasePost, saveAndRelease, savePost, type ClaimedWriter } from './claimed-writes.js';
import { comparableNow, readMs } from './epoch-ms.js';
import type { NotifyListener } from './notify-listener.js';
import type { PgContext } from './pg-context.js';
import { pgStoreError } from './pg-errors.js';
import { renewLeases } from './renew-leases.js';
import { inTransaction } from './transaction.js';

/**
 * The PostgreSQL store's {@link WorkQueue}:
 *
 * - `claim` picks rows `FOR UPDATE SKIP LOCKED` in one transaction and
 *   decides in JS with the shared rules, `takeOver` included
 *   (claim-posts.ts): concurrent workers never get the same post;
 * - `save`, `park`, `finish` and `release` are one UPDATE each, checked
 *   against the claim (`WHERE post_id AND version AND lease_token`);
 *   content writes bump the version, lease changes do not
 *   (claimed-writes.ts); no row back is a LeaseLostError;
 * - `renew` is one UPDATE of `lease_until` for every lease renewed;
 * - `park`, `release`, and `create`/`put` of a free post send a NOTIFY in
 *   the same statement; `watch` LISTENs on a dedicated connection.
 */
export function pgQueue(ctx: PgContext, listener: NotifyListener, closed: () => boolean): WorkQueue {
  const { pool, sql, run } = ctx;
  const writer: ClaimedWriter = ctx;
  return {
    claim: (request) => run('', 'claim posts', () => inTransaction(pool, (client) => claimIn(client, sql, request))),

    renew: (owner, held, until) => run('', `renew ${held.length} lease${held.length === 1 ? '' : 's'} of ${owner}`, () => renewLeases(pool, sql, owner, held, until)),

    save: (claim, changes) => run(claim.post.postId, `save post ${claim.post.postId}`, () => savePost(writer, claim, changes)),

    park: (claim, changes) => run(claim.post.postId, `park post ${claim.post.postId}`, () => saveAndRelease(writer, claim, changes)),

    finish: (claim, changes) => run(claim.post.postId, `finish post ${claim.post.postId}`, () => saveAndRelease(writer, claim, changes)),

    release: (claim, changes) => run(claim.post.postId, `release post ${claim.post.postId}`, () => (changes === undefined ? releasePost(writer, claim) : saveAndRelease(writer, claim, changes))),

    nextDueAt: (now, accounts) =>
      run('', 'find the next due post', async () => {
        const { rows } = await pool.query<{ at: string | number | null }>(sql.nextDue, [comparableNow(now), ENVELOPE_VERSION, accounts ?? null]);
        const at = readMs(rows[0]?.at ?? null);
        return at === undefined ? undefined : Math.max(at, now);
      }),

    async watch(wake) {
      try {
        if (closed()) throw new Error('the postgres store is closed');
        return await listener.watch(wake);
      } catch (error) {
        throw pgStoreError(error, '', `listen on channel ${JSON.stringify(ctx.channel)}`, ctx.secrets);
      }
    },
  };
}
