import { randomUUID } from 'node:crypto';
import { PostStatus } from '../envelope.js';
import { PostOutcome } from '../../machines/outcome.js';
import type { DeliveryClaim, Outbox, OutboxEntry } from '../store.js';
import { comparableNow, readMs, storedMs } from './epoch-ms.js';
import type { NotifyListener } from './notify-listener.js';
import { outboxSql } from './outbox-sql.js';
import type { PgContext } from './pg-context.js';
import { pgStoreError } from './pg-errors.js';

/** An outbox row as outbox-sql.ts reads it. */
interface EntryRow {
  readonly seq: string | number;
  readonly post_id: string;
  readonly idempotency_key: string | null;
  readonly account: string;
  readonly status: string;
  readonly result: string | null;
  readonly at: string | number;
  readonly attempts: number;
}

/** How many entries one read of a follower takes at most (it reads again while they come full). */
const PAGE = 500;
/** How many seqs a follower remembers having told, to tell each once even when read twice. */
const REMEMBERED = 10_000;

const FinishedStatus = PostStatus.exclude(['active']);

/** The entry a row holds; undefined for a row this igflow cannot read (passed over, never misread). */
function entryOfRow(row: EntryRow): OutboxEntry | undefined {
  const status = FinishedStatus.safeParse(row.status);
  if (!status.success) return undefined;
  let result: PostOutcome | undefined;
  if (row.result !== null) {
    const parsed = PostOutcome.safeParse(JSON.parse(row.result));
    if (!parsed.success) return undefined;
    result = parsed.data;
  }
  return {
    id: String(row.seq),
    postId: row.post_id,
    ...(row.idempotency_key === null ? {} : { key: row.idempotency_key }),
    account: row.account,
    status: status.data,
    ...(result === undefined ? {} : { result }),
    at: Number(row.at),
  };
}

/**
 * The PostgreSQL store's {@link Outbox}: `<schema>.outbox`, whose rows the
 * trigger of migration 6 writes in the transaction that finishes a post
 * and announces on the outcome channel (payload: the seq) at commit.
 *
 * `follow` LISTENs on that channel (its own connection), starts from the
 * newest seq, and on each notification reads the entries after the last
 * one it saw, plus the notified seq itself when it is below (a
 * transaction that took its seq earlier may commit later); when the
 * listening connection was lost it reads everything after the last seq.
 * Deliveries are leased with `FOR UPDATE SKIP LOCKED`, one statement.
 */
export function pgOutbox(ctx: PgContext, listener: NotifyListener, closed: () => boolean): Outbox {
  const { pool, run } = ctx;
  const sql = outboxSql(ctx.schema);
  const mark = async (query: string, claim: DeliveryClaim, value: number): Promise<boolean> =>
    run(claim.entry.postId, `write the delivery of post ${claim.entry.postId}`, async () => (await pool.query(query, [claim.entry.id, claim.token, storedMs(value)])).rows.length > 0);

  return {
    async follow(onEntry) {
      let cursor = 0;
      const told = new Set<number>();
      const late = new Set<number>();
      let reading: Promise<void> = Promise.resolve();
      let again = false;
      let stopped = false;
      const tell = (row: EntryRow): void => {
        const seq = Number(row.seq);
        cursor = Math.max(cursor, seq);
        if (told.has(seq)) return;
        told.add(seq);
        if (told.size > REMEMBERED) told.delete(told.values().next().value as number);
        const entry = entryOfRow(row);
        if (entry !== undefined && !stopped) onEntry(entry);
      };
      const read = async (): Promise<void> => {
        for (;;) {
          const also = [...late];
          late.clear();
          const { rows } = await pool.query<EntryRow>(sql.since, [cursor, also, PAGE]);
          for (const row of rows) tell(row);
          if (rows.length < PAGE || stopped) return;
        }
      };
      /** `seq`: the notified entry's (none when the listening connection was lost or is back). */
      const wake = (seq?: number): void => {
        if (seq !== undefined && seq <= cursor && !told.has(seq)) late.add(seq);
        if (again) return;
        again = true;
        reading = reading.then(() => {
          again = false;
          return stopped ? undefined : read().catch(() => undefined); // a failed read is made good by the next notification's
        });
      };
      try {
        if (closed()) throw new Error('the postgres store is closed');
        const unlisten = await listener.watch(wake);
        const head = await run('', 'read the outbox head', () => pool.query<{ seq: string | number }>(sql.head));
        cursor = Math.max(cursor, Number(head.rows[0]?.seq ?? 0));
        return async () => {
          stopped = true;
          await unlisten();
          await reading;
        };
      } catch (error) {
        throw pgStoreError(error, '', `listen on channel ${JSON.stringify(ctx.outcomeChannel)}`, ctx.secrets);
      }
    },

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
  };
}
