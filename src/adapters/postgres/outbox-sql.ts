import { quoteIdentifier } from './identifiers.js';

/** The columns of an outbox entry as {@link pgOutbox} reads them (the result as text, parsed and validated there). */
const ENTRY_COLUMNS = 'seq, post_id, idempotency_key, account, status, result::text AS result, at, attempts';

/**
 * The statements of the PostgreSQL outbox (migrations 6 and 8), for one schema.
 * Entries are written by the `posts_finished` trigger alone; these read
 * them and keep their webhook deliveries. Timestamps are epoch ms from the caller.
 */
export function outboxSql(schema: string) {
  const outbox = `${quoteIdentifier(schema)}.outbox`;
  return {
    /** The newest entry's seq (0 when none). */
    head: `SELECT coalesce(max(seq), 0) AS seq FROM ${outbox}`,
    /** $1 after this seq, $2 also these seqs (text[]), $3 limit: oldest first. */
    since: `SELECT ${ENTRY_COLUMNS} FROM ${outbox} WHERE seq > $1 OR seq = ANY($2::bigint[]) ORDER BY seq LIMIT $3`,
    /**
     * $1 now, $2 limit, $3 owner, $4 token, $5 until: leases the undelivered
     * entries due at `now` whose lease (if any) ran out, in due order, in
     * one statement; rows another claimer has locked are skipped, so two
     * claimers never get the same entry.
     */
    claim: `UPDATE ${outbox} AS o SET lease_owner = $3, lease_token = $4, lease_until = $5
      FROM (SELECT seq FROM ${outbox} WHERE delivered_at IS NULL AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
            ORDER BY next_attempt_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED) AS due
      WHERE o.seq = due.seq RETURNING o.seq, o.post_id, o.idempotency_key, o.account, o.status, o.result::text AS result, o.at, o.attempts, o.next_attempt_at`,
    /** $1 seq, $2 token, $3 at: delivered, the lease given up; no row back when the token is no longer the entry's. */
    delivered: `UPDATE ${outbox} SET delivered_at = $3, lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE seq = $1 AND lease_token = $2 RETURNING seq`,
    /** $1 seq, $2 token, $3 next attempt: one failed attempt more, the lease given up; no row back when the token is no longer the entry's. */
    retry: `UPDATE ${outbox} SET attempts = attempts + 1, next_attempt_at = $3, lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE seq = $1 AND lease_token = $2 RETURNING seq`,
    /** The earliest time an undelivered entry is due and free; NULL when all are delivered. */
    nextDue: `SELECT min(greatest(next_attempt_at, coalesce(lease_until, 0))) AS at FROM ${outbox} WHERE delivered_at IS NULL`,
    /**
     * $1 before, $2 limit: deletes the delivered entries of posts finished
     * before $1, oldest first (index of migration 8); an undelivered row,
     * leased or not, is never touched, and rows locked by another
     * statement are skipped.
     */
    prune: `DELETE FROM ${outbox} WHERE seq IN (SELECT seq FROM ${outbox} WHERE delivered_at IS NOT NULL AND at < $1
      ORDER BY at, seq LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING seq`,
  } as const;
}
