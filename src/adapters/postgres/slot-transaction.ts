import pg from 'pg';
import type { Pool } from 'pg';
import { decideSlot } from '../slot-rules.js';
import type { SlotAnswer, SlotRequest } from '../store.js';
import { checkOut } from './checked-out.js';
import { quoteIdentifier } from './identifiers.js';

const ms = (value: number): string => String(Math.ceil(value));

/**
 * Slot takers that could be racing at once, at most (workers × their
 * concurrency, with room to spare): while the count is this far below the
 * total, no race can overbook, and the slot is taken by one statement
 * without the lock; nearer the total, by the locked transaction.
 */
const RACERS = 100;

/** The lock-free path far from the total: one conditional INSERT; undefined when the count is near the total (or the statement did not insert). */
export async function takeFarFromTotal(pool: Pool, schema: string, request: SlotRequest): Promise<SlotAnswer | undefined> {
  if (request.total <= RACERS) return undefined;
  const s = quoteIdentifier(schema);
  const limit = request.total - RACERS;
  const since = ms(request.now - request.windowMs);
  if (request.kind === 'container') {
    const { rows } = await pool.query<{ used: number }>(
      `WITH n AS (SELECT count(*)::integer AS c FROM ${s}.publishes WHERE account = $1 AND kind = 'container' AND at >= $2)
       INSERT INTO ${s}.publishes (account, post_id, at, kind) SELECT $1, $3, $4, 'container' FROM n WHERE n.c < $5 RETURNING (SELECT c FROM n) AS used`,
      [request.account, since, request.postId, ms(request.now), limit],
    );
    return rows[0] === undefined ? undefined : { ok: true, used: rows[0].used };
  }
  const floorUsed = request.floor?.used ?? 0;
  const floorAt = request.floor === undefined ? null : ms(request.floor.at);
  const { rows } = await pool.query<{ used: number }>(
    `WITH w AS (SELECT count(*)::integer AS c, count(*) FILTER (WHERE $6::bigint IS NOT NULL AND at >= $6::bigint)::integer AS f FROM ${s}.publishes WHERE account = $1 AND kind = 'publish' AND at >= $2),
          r AS (SELECT count(*)::integer AS c FROM ${s}.reservations WHERE account = $1 AND post_id <> $3 AND until > $4),
          u AS (SELECT greatest(w.c, CASE WHEN $6::bigint IS NULL THEN 0 ELSE $7::integer + w.f END) + r.c AS used FROM w, r)
     INSERT INTO ${s}.reservations (account, post_id, until) SELECT $1, $3, $5 FROM u WHERE u.used < $8
     ON CONFLICT (account, post_id) DO UPDATE SET until = EXCLUDED.until RETURNING (SELECT used FROM u) AS used`,
    [request.account, since, request.postId, ms(request.now), ms(request.until), floorAt, floorUsed, limit],
  );
  return rows[0] === undefined ? undefined : { ok: true, used: rows[0].used };
}

/**
 * One `takeSlot` near the total (see {@link takeFarFromTotal} for the rest), in two round trips: the first sends, as one simple-protocol
 * string, BEGIN, the bounds (a 2 s `lock_timeout`, a 5 s
 * `idle_in_transaction_session_timeout`, so a frozen holder cannot stall
 * the account's other workers for long), the account's advisory lock, and
 * the reads of the window and of the live reservations (each statement
 * gets its own snapshot, taken after the lock); the second writes the slot
 * (or nothing) and commits. Values go in as escaped literals (the simple
 * protocol takes no parameters). A failure rolls back; a connection that
 * failed is discarded.
 */
export async function takeSlotIn(pool: Pool, schema: string, request: SlotRequest): Promise<SlotAnswer> {
  const s = quoteIdentifier(schema);
  const account = pg.escapeLiteral(request.account);
  const postId = pg.escapeLiteral(request.postId);
  const kind = pg.escapeLiteral(request.kind);
  const now = ms(request.now);
  const publish = request.kind === 'publish';
  const connection = await checkOut(pool);
  const { client } = connection;
  try {
    const reads = [
      'BEGIN ISOLATION LEVEL READ COMMITTED',
      "SET LOCAL lock_timeout = '2s'",
      "SET LOCAL idle_in_transaction_session_timeout = '5s'",
      `SELECT pg_advisory_xact_lock(hashtext(${pg.escapeLiteral(schema)}), hashtext(${account}))`,
      `SELECT at FROM ${s}.publishes WHERE account = ${account} AND kind = ${kind} AND at >= ${ms(request.now - request.windowMs)}`,
      ...(publish ? [`DELETE FROM ${s}.reservations WHERE account = ${account} AND until <= ${now}`, `SELECT count(*)::integer AS n FROM ${s}.reservations WHERE account = ${account} AND post_id <> ${postId} AND until > ${now}`] : []),
    ];
    const results = (await client.query(reads.join('; '))) as unknown as Array<pg.QueryResult<Record<string, unknown>>>;
    const window = results[4]!.rows.map((r) => Number(r.at));
    const reserved = publish ? Number(results[6]!.rows[0]?.n ?? 0) : 0;
    const answer = decideSlot(request, window, reserved);
    const write = !answer.ok
      ? ''
      : publish
        ? `INSERT INTO ${s}.reservations (account, post_id, until) VALUES (${account}, ${postId}, ${ms(request.until)}) ON CONFLICT (account, post_id) DO UPDATE SET until = EXCLUDED.until; `
        : `INSERT INTO ${s}.publishes (account, post_id, at, kind) VALUES (${account}, ${postId}, ${now}, 'container'); `;
    await client.query(`${write}COMMIT`);
    return answer;
  } catch (error) {
    if (connection.failure() === undefined) await client.query('ROLLBACK').catch((rollbackError: unknown) => connection.fail(rollbackError));
    throw error;
  } finally {
    connection.release();
  }
}
