import type { LedgerEntry, PublishLedger } from '../store.js';
import { storedMs } from './epoch-ms.js';
import type { PgContext } from './pg-context.js';

/** The PostgreSQL store's {@link PublishLedger}: one row per publish in `<schema>.publishes`, read by account and time. */
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
  };
}
