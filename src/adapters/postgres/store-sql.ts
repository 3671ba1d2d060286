import { quoteIdentifier } from './identifiers.js';

/**
 * The columns of a post as {@link PostRow} reads them. The jsonb columns
 * come back as text, parsed by the row mapping, so a pool with custom type
 * parsers reads the same values, and a JSON `null` snapshot stays distinct
 * from an absent one.
 */
const POST_COLUMNS = 'post_id, idempotency_key, account, machine, status, state, snapshot::text AS snapshot, wake_at, lease_owner, lease_until, version, created_at, updated_at, result::text AS result, envelope_version, wait_reason, spec_hash';

/** Sends the wake-up notification once per written row, on the channel given as `$n`: delivered at commit, so never for a write that did not happen. */
const notifyOn = (param: number): string => `, pg_notify($${param}, '') AS woke`;

/** Rows that claimDue may look at: active, due, and in the envelope format this code reads. */
const DUE = "status = 'active' AND envelope_version = $1 AND coalesce(wake_at, 0) <= $2";

/**
 * Every statement of the PostgreSQL store, for one schema. Parameters are
 * positional; their order is documented on each statement and filled by
 * post-row.ts (the envelope values) and the store.
 */
export function storeSql(schema: string) {
  const posts = `${quoteIdentifier(schema)}.posts`;
  const publishes = `${quoteIdentifier(schema)}.publishes`;
  const update = `UPDATE ${posts} SET account = $3, machine = $4, status = $5, state = $6, snapshot = $7::jsonb, wake_at = $8, lease_owner = $9, lease_until = $10, version = $11, created_at = $12, updated_at = $13, result = $14::jsonb, envelope_version = $15, wait_reason = $16, spec_hash = $17 WHERE post_id = $1 AND version = $2 RETURNING ${POST_COLUMNS}`;
  return {
    /** $1 post id. */
    get: `SELECT ${POST_COLUMNS} FROM ${posts} WHERE post_id = $1`,
    /** $1 post id; locks the row until the transaction ends. */
    getForUpdate: `SELECT ${POST_COLUMNS} FROM ${posts} WHERE post_id = $1 FOR UPDATE`,
    /** $1 idempotency key. */
    findByKey: `SELECT ${POST_COLUMNS} FROM ${posts} WHERE idempotency_key = $1`,
    /** $1 post id. */
    versionOf: `SELECT version FROM ${posts} WHERE post_id = $1`,
    /** $1..$17 the envelope (insertValues), $18 the notify channel. No row back when the id or the key is taken. */
    insert: `INSERT INTO ${posts} (post_id, idempotency_key, account, machine, status, state, snapshot, wake_at, lease_owner, lease_until, version, created_at, updated_at, result, envelope_version, wait_reason, spec_hash)
      VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $16, $17)
      ON CONFLICT DO NOTHING RETURNING ${POST_COLUMNS}${notifyOn(18)}`,
    /** Compare-and-set: $1 post id, $2 expected version, $3..$17 the envelope (updateValues). The key is never changed. */
    update,
    /** {@link update}, plus $18 the notify channel. */
    updateAndNotify: `${update}${notifyOn(18)}`,
    /** $1 post id, $2 lease owner, $3 lease until; the caller holds the row lock. */
    setLease: `UPDATE ${posts} SET lease_owner = $2, lease_until = $3, version = version + 1 WHERE post_id = $1 RETURNING ${POST_COLUMNS}`,
    /** $1 post id, $2 owner, $3 the notify channel. */
    release: `UPDATE ${posts} SET lease_owner = NULL, lease_until = NULL, version = version + 1 WHERE post_id = $1 AND lease_owner = $2 RETURNING post_id${notifyOn(3)}`,
    listAll: `SELECT ${POST_COLUMNS} FROM ${posts}`,
    listUnfinished: `SELECT ${POST_COLUMNS} FROM ${posts} WHERE status = 'active'`,
    /** $1 envelope version, $2 now, $3 owner: due posts under someone else's live lease (candidates for takeOver). Locks nothing. */
    dueLeasedElsewhere: `SELECT post_id, lease_owner, lease_until FROM ${posts} WHERE ${DUE} AND lease_owner <> $3 AND lease_until > $2`,
    /**
     * $1 envelope version, $2 now, $3 post ids whose live lease may be taken
     * over, $4 post ids to leave out, $5 limit, $6 accounts (null: all): due,
     * free posts (never the requester's own live leases: it is working on them) in
     * due order, locked; rows another transaction has locked are skipped, so
     * concurrent claimers never get the same post.
     */
    claimCandidates: `SELECT ${POST_COLUMNS} FROM ${posts}
      WHERE ${DUE} AND (lease_owner IS NULL OR lease_until <= $2 OR post_id = ANY($3::text[])) AND NOT (post_id = ANY($4::text[])) AND ($6::text[] IS NULL OR account = ANY($6::text[]))
      ORDER BY coalesce(wake_at, 0), created_at, post_id LIMIT $5 FOR UPDATE SKIP LOCKED`,
    /** $1 post ids (locked by the caller), $2 owner, $3 until. */
    leaseAll: `UPDATE ${posts} SET lease_owner = $2, lease_until = $3, version = version + 1 WHERE post_id = ANY($1::text[]) RETURNING ${POST_COLUMNS}`,
    /** $1 now, $2 envelope version, $3 accounts (null: all): the earliest time an active post is due and its lease (if any) has run out. */
    nextDue: `SELECT min(coalesce(greatest(wake_at, lease_until), $1)) AS at FROM ${posts} WHERE status = 'active' AND envelope_version = $2 AND ($3::text[] IS NULL OR account = ANY($3::text[]))`,
    /** $1 account, $2 post id, $3 at. */
    recordPublish: `INSERT INTO ${publishes} (account, post_id, at) VALUES ($1, $2, $3)`,
    /** $1 account, $2 since: oldest first, ties in recording order. */
    publishesSince: `SELECT account, post_id, at FROM ${publishes} WHERE account = $1 AND at >= $2 ORDER BY at, seq`,
  } as const;
}

/** The statements of one schema; see {@link storeSql}. */
export type StoreSql = ReturnType<typeof storeSql>;
