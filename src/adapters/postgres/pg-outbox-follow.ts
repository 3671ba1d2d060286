import type { Subscription } from 'rxjs';
import type { FollowOptions, OutboxEntry } from '../store.js';
import type { NotifyListener } from './notify-listener.js';
import { entryOfRow, type EntryRow } from './outbox-row.js';
import { outboxSql } from './outbox-sql.js';
import type { PgContext } from './pg-context.js';
import { pgStoreError } from './pg-errors.js';

/** How many entries one read of a follower takes at most (it reads again while they come full). */
const PAGE = 500;

/** How many seqs a follower remembers having told, to tell each once even when read twice. */
const REMEMBERED = 10_000;

/** The wait (ms, the engine's clock) before a failed read is tried again, doubling up to {@link RETRY_MAX_MS}. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * Outbox.follow for PostgreSQL: LISTENs on the outcome channel (its own
 * connection), starts from the newest seq, and on each notification reads
 * the entries after the last one it saw, plus the notified seq itself when
 * it is below (a transaction that took its seq earlier may commit later);
 * when the listening connection was lost it reads everything after the
 * last seq. Each entry is told once. A read that fails (the pool's
 * connection dropped, the server restarting) is tried again on the
 * engine's clock, 250 ms doubling to 5 s, until one succeeds, rather than
 * waiting for a next notification that may never come; the seqs it was
 * to read as well are kept for the retry.
 */
export async function followOutbox(ctx: PgContext, listener: NotifyListener, closed: () => boolean, onEntry: (entry: OutboxEntry) => void, options: FollowOptions): Promise<() => Promise<void>> {
  const { pool, run } = ctx;
  const sql = outboxSql(ctx.schema);
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
      const { rows } = await pool.query<EntryRow>(sql.since, [cursor, also, PAGE]);
      for (const seq of also) late.delete(seq);
      for (const row of rows) tell(row);
      if (rows.length < PAGE || stopped) return;
    }
  };
  let started = false;
  let wokenEarly = false;
  const early: number[] = [];
  let failures = 0;
  let retry: Subscription | undefined;
  const schedule = (): void => {
    if (again) return;
    again = true;
    retry?.unsubscribe();
    retry = undefined;
    reading = reading.then(async () => {
      again = false;
      if (stopped) return;
      try {
        await read();
        failures = 0;
      } catch {
        failures += 1;
        if (!stopped) retry = options.clock.schedule(() => schedule(), Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(failures - 1, 20)));
      }
    });
  };
  /** `seq`: the notified entry's (none when the listening connection was lost or is back). Before the head is known, only noted: a read from seq 0 would tell the whole history. */
  const wake = (seq?: number): void => {
    if (!started) {
      wokenEarly = true;
      if (seq !== undefined) early.push(seq);
      return;
    }
    if (seq !== undefined && seq <= cursor && !told.has(seq)) late.add(seq);
    schedule();
  };
  try {
    if (closed()) throw new Error('the postgres store is closed');
    const unlisten = await listener.watch(wake);
    const head = await run('', 'read the outbox head', () => pool.query<{ seq: string | number }>(sql.head)).catch(async (error: unknown) => {
      await unlisten();
      throw error;
    });
    cursor = Math.max(cursor, Number(head.rows[0]?.seq ?? 0));
    started = true;
    for (const seq of early.splice(0)) if (seq <= cursor) late.add(seq);
    if (wokenEarly) schedule();
    return async () => {
      stopped = true;
      retry?.unsubscribe();
      await unlisten();
      await reading;
    };
  } catch (error) {
    throw pgStoreError(error, '', `listen on channel ${JSON.stringify(ctx.outcomeChannel)}`, ctx.secrets);
  }
}
