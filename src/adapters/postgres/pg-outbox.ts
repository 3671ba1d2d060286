import { randomUUID } from 'node:crypto';
import type { DeliveryClaim, Outbox } from '../store.js';
import { comparableNow, readMs, storedMs } from './epoch-ms.js';
import type { NotifyListener } from './notify-listener.js';
import { outboxSql } from './outbox-sql.js';
import type { PgContext } from './pg-context.js';
import { entryOfRow, type EntryRow } from './outbox-row.js';
import { followOutbox } from './pg-outbox-follow.js';

/**
 * The PostgreSQL store's {@link Outbox}: `<schema>.outbox`, whose rows the
 * trigger of migration 6 writes in the transaction that finishes a post
 * and announces on the outcome channel (payload: the seq) at commit.
 *
 * `follow` LISTENs on that channel (pg-outbox-follow.ts). Deliveries are
 * leased with `FOR UPDATE SKIP LOCKED`, one statement; `delivered` and
 * `retryAt` are one UPDATE each, checked against the claim's token;
 * `prune` is one DELETE of delivered rows.
 */
export function pgOutbox(ctx: PgContext, listener: NotifyListener, closed: () => boolean): Outbox {
  const { pool, run } = ctx;
  const sql = outboxSql(ctx.schema);
  const mark = async (query: string, claim: DeliveryClaim, value: number): Promise<boolean> =>
    run(claim.entry.postId, `write the delivery of post ${claim.entry.postId}`, async () => (await pool.query(query, [claim.entry.id, claim.token, storedMs(value)])).rows.length > 0);

  return {
    follow: (onEntry, options) => followOutbox(ctx, listener, closed, onEntry, options),

    claimDeliveries: (request) =>
      run('', 'claim webhook deliveries', async () => {
        const token = randomUUID();
        const { rows } = await pool.query<EntryRow & { next_attempt_at: string | number }>(sql.claim, [comparableNow(request.now), request.limit, request.owner, token, storedMs(request.until)]);
        const claims: DeliveryClaim[] = [];
        for (const row of [...rows].sort((a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at) || Number(a.seq) - Number(b.seq))) {
          const entry = entryOfRow(row);
          if (entry !== undefined) claims.push({ entry, token, attempts: row.attempts });
        }
        return claims;
      }),

    delivered: (claim, at) => mark(sql.delivered, claim, at),

    retryAt: (claim, nextAt) => mark(sql.retry, claim, nextAt),

    nextDeliveryAt: (now) =>
      run('', 'find the next webhook delivery', async () => {
        const { rows } = await pool.query<{ at: string | number | null }>(sql.nextDue);
        const at = readMs(rows[0]?.at ?? null);
        return at === undefined ? undefined : Math.max(at, now);
      }),

    prune: ({ before, limit }) => run('', 'prune the outbox', async () => (await pool.query(sql.prune, [storedMs(before), limit])).rows.length),
  };
}
