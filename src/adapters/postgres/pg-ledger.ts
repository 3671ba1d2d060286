import { keyedMutex } from '../fs/keyed-mutex.js';
import type { LedgerEntry, PublishLedger } from '../store.js';
import { storedMs } from './epoch-ms.js';
import type { PgContext } from './pg-context.js';
import { takeFarFromTotal, takeSlotIn } from './slot-transaction.js';

/**
 * The PostgreSQL store's {@link PublishLedger}: one row per publish (and,
 * with kind `container`, per container creation) in `<schema>.publishes`,
 * read by account, kind and time; publishes under way in
 * `<schema>.reservations`. `takeSlot` is one transaction under the
 * account's advisory lock (slot-transaction.ts): the window's rows, the
 * live reservations, the decision and the write, so racing workers take
 * slots one after another.
 * Far from the total (more than 100 below it: more than any takers that
 * could race), a slot is one conditional INSERT without the lock.
 * Within a process the takers of an account near the total queue in memory first, so at
 * most one pooled connection per account waits on the lock: the posts'
 * saves and the lease renewals never starve behind slot takers.
 */
export function pgLedger(ctx: PgContext): PublishLedger {
  const { pool, sql, run } = ctx;
  const oneAtATime = keyedMutex();
  return {
    recordPublish: (entry) =>
      run(entry.postId, `record a publish of post ${entry.postId}`, async () => {
        await pool.query(sql.recordPublish, [entry.account, entry.postId, storedMs(entry.at)]);
      }),

    publishesSince: (account, since) =>
      run('', `read the publishes of account ${account}`, async () => {
        const { rows } = await pool.query<{ account: string; post_id: string; at: string | number }>(sql.publishesSince, [account, Math.ceil(since)]);
        return rows.map((r): LedgerEntry => ({ account: r.account, postId: r.post_id, at: Number(r.at) }));
      }),

    takeSlot: (request) =>
      run(request.postId, `take a ${request.kind} slot of account ${request.account} for post ${request.postId}`, async () => (await takeFarFromTotal(pool, ctx.schema, request)) ?? oneAtATime(request.account, () => takeSlotIn(pool, ctx.schema, request))),
  };
}
