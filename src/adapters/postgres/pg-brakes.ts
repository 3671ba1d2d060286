import { z } from 'zod';
import type { BrakeBoard, BrakeState } from '../store.js';
import { storedMs } from './epoch-ms.js';
import type { NotifyListener } from './notify-listener.js';
import type { PgContext } from './pg-context.js';
import { pgStoreError } from './pg-errors.js';

/** A brake as a row or a notification carries it (bigints may come back as text). */
const BrakeRow = z.object({
  key: z.string(),
  blockedUntil: z.coerce.number(),
  strikes: z.coerce.number(),
  peakPercent: z.coerce.number(),
  usageAt: z.coerce.number(),
});

type Row = { key: string; blocked_until: string | number; strikes: number; peak_percent: number; usage_at: string | number };
const stateOf = (row: Row): BrakeState => BrakeRow.parse({ key: row.key, blockedUntil: row.blocked_until, strikes: row.strikes, peakPercent: row.peak_percent, usageAt: row.usage_at });

/** A notification's brake; undefined for a payload this code cannot read (the subscriber then reads every brake again). */
function stateOfPayload(payload: string | undefined): BrakeState | undefined {
  if (payload === undefined) return undefined;
  try {
    const parsed = BrakeRow.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The PostgreSQL store's {@link BrakeBoard}: one row per brake in
 * `<schema>.brakes`, raised by one upsert that merges and announces the
 * row as stored on the brakes' channel (NOTIFY, delivered at commit), so
 * every worker learns of a throttle at once without reading the table
 * before its calls. `watch` LISTENs on a dedicated connection of its own.
 */
export function pgBrakes(ctx: PgContext, listener: NotifyListener, closed: () => boolean): BrakeBoard {
  const { pool, sql, run } = ctx;
  return {
    raise: (state) =>
      run('', `raise the brake ${state.key}`, async () => {
        const { rows } = await pool.query<Row>(sql.raiseBrake, [state.key, storedMs(state.blockedUntil), state.strikes, state.peakPercent, storedMs(state.usageAt), ctx.brakeChannel]);
        return stateOf(rows[0]!);
      }),

    read: () =>
      run('', 'read the brakes', async () => {
        const { rows } = await pool.query<Row>(sql.readBrakes);
        return rows.map(stateOf);
      }),

    async watch(heard) {
      try {
        if (closed()) throw new Error('the postgres store is closed');
        return await listener.watch((_, payload) => heard(stateOfPayload(payload)));
      } catch (error) {
        throw pgStoreError(error, '', `listen on channel ${JSON.stringify(ctx.brakeChannel)}`, ctx.secrets);
      }
    },
  };
}
