import { decideSlot } from '../slot-rules.js';
import type { LedgerEntry, PublishLedger } from '../store.js';
import { storedMs } from './epoch-ms.js';
import type { PgContext } from './pg-context.js';
import { inTransaction } from './transaction.js';

/**
 * The PostgreSQL store's {@link PublishLedger}: one row per publish (and,
 * with kind `container`, per container creation) in `<schema>.publishes`,
 * read by account, kind and time; publishes under way in
 * `<schema>.reservations`. `takeSlot` is one transaction under the
 * account's advisory lock: the window's rows, the live reservations, the
 * decision and the write, so racing workers take slots one after another.
 */
export function pgLedger(ctx: PgContext): PublishLedger {
  const { pool, sql, run } = ctx;
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
      run(request.postId, `take a ${request.kind} slot of account ${request.account} for post ${request.postId}`, () =>
        inTransaction(pool, async (client) => {
          await client.query(sql.slotLimits);
          await client.query(sql.lockSlots, [request.account]);
          const now = storedMs(request.now);
          const { rows } = await client.query<{ at: string | number }>(sql.slotWindow, [request.account, request.kind, Math.ceil(request.now - request.windowMs)]);
          const window = rows.map((r) => Number(r.at));
          const floorAt = request.floor?.at;
          const sinceFloor = floorAt === undefined ? 0 : window.filter((at) => at >= floorAt).length;
          let reserved = 0;
          if (request.kind === 'publish') {
            await client.query(sql.dropExpiredReservations, [request.account, now]);
            const counted = await client.query<{ n: number }>(sql.liveReservations, [request.account, request.postId, now]);
            reserved = counted.rows[0]?.n ?? 0;
          }
          const answer = decideSlot(request, window, sinceFloor, reserved);
          if (answer.ok) {
            if (request.kind === 'publish') await client.query(sql.reserve, [request.account, request.postId, storedMs(request.until)]);
            else await client.query(sql.recordCreation, [request.account, request.postId, now]);
          }
          return answer;
        }),
      ),
  };
}
