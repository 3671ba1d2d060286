import { quoteIdentifier } from './identifiers.js';
import type { PostQuery } from '../store.js';
import { listStatement, type ListStatement } from './list-sql.js';

/**
 * The columns of a post as {@link PostRow} reads them. The jsonb columns
 * come back as text, parsed by the row mapping, so a pool with custom type
 * parsers reads the same values, and a JSON `null` stays distinct from an
 * absent value.
 */
const POST_COLUMNS =
  'post_id, idempotency_key, account, machine, status, state, spec::text AS spec, snapshot::text AS snapshot, wake_at, wait_reason, spec_hash, version, created_at, updated_at, result::text AS result, envelope_version, publish_at, publishing_since, lease_owner, lease_token, lease_until';

/** The lease columns (and the id) of a post, as {@link LeaseColumns} reads them. */
const LEASE_COLUMNS = 'post_id, lease_owner, lease_token, lease_until';

/**
 * Sends the wake-up notification on the channel given as `$n` when the row
 * as written may be claimed by any worker (active, unleased: created free,
 * parked, released, edited while free), so idle workers look again. In a
 * RETURNING list: delivered at commit, so never for a write that did not
 * happen, and once per statement (PostgreSQL folds equal notifications).
 * The payload is the row's `wake_at` (epoch ms; empty when due at once), so
 * a worker told of a post parked for later need not look before then.
 */
const notifyIfFree = (param: number): string => `, CASE WHEN status = 'active' AND lease_token IS NULL THEN pg_notify($${param}, coalesce(wake_at::text, '')) END AS woke`;

/** Active rows in the envelope format this code reads, of the accounts in `$n` (NULL: all). */
const OPEN = (accounts: number): string => `status = 'active' AND envelope_version = $1 AND ($${accounts}::text[] IS NULL OR account = ANY($${accounts}::text[]))`;

/** Rows whose lease is live at `$2` (a lease is live while now < until). */
const LIVE = 'lease_until > $2';

/** The order claims are made in: earliest due first (no wakeAt counts as 0), then oldest; the partial index posts_due serves it. */
const DUE_ORDER = 'coalesce(wake_at, 0), created_at, post_id';

/**
 * Every statement of the PostgreSQL store, for one schema. Parameters are
 * positional; their order is documented on each statement and filled by
 * post-row.ts (the envelope values), claimed-writes.ts and the store.
 * Timestamps are epoch ms (bigint) from the caller.
 */
export function storeSql(schema: string) {
  const posts = `${quoteIdentifier(schema)}.posts`;
  const publishes = `${quoteIdentifier(schema)}.publishes`;
  /** The part of the claimed writes that stores a holder's progress; see {@link storeSql}'s `save`. */
  const progress = `state = $4, status = $5, wake_at = $6, wait_reason = $7, updated_at = $8, result = $9::jsonb, snapshot = CASE WHEN $10::boolean THEN $11::jsonb ELSE snapshot END, publishing_since = $12, version = version + 1`;
  /** Which row a claimed write may change: the claimed post, at the claim's version, under the claim's token. */
  const held = 'post_id = $1 AND version = $2 AND lease_token = $3';
  return {
    // ---- posts ----

    /** $1 post id. */
    get: `SELECT ${POST_COLUMNS} FROM ${posts} WHERE post_id = $1`,
    /** $1 idempotency key. */
    findByKey: `SELECT ${POST_COLUMNS} FROM ${posts} WHERE idempotency_key = $1`,
    /** $1 post id: its version, to say why a compare-and-set was refused. */
    versionOf: `SELECT version FROM ${posts} WHERE post_id = $1`,
    /**
     * $1 post id, $2 idempotency key, $3..$18 the content, $19..$21 the lease
     * (owner, token, until) or NULLs (insertValues); $22 the notify channel.
     * No row back when the id or the key is taken.
     */
    insert: `INSERT INTO ${posts} (post_id, idempotency_key, account, machine, status, state, spec, snapshot, wake_at, wait_reason, spec_hash, version, created_at, updated_at, result, envelope_version, publish_at, publishing_since, lease_owner, lease_token, lease_until)
      VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11, $12, $13, $14, $15::jsonb, $16, $17, $18, $19, $20, $21)
      ON CONFLICT DO NOTHING RETURNING ${POST_COLUMNS}${notifyIfFree(22)}`,
    /**
     * Compare-and-set of the content by someone who does not hold the post:
     * $1 post id, $2 expected version, $3..$18 the content at the next
     * version (putValues), $19 the notify channel. The key and the lease
     * columns are never written. No row back when the version moved.
     */
    put: `UPDATE ${posts} SET account = $3, machine = $4, status = $5, state = $6, spec = $7::jsonb, snapshot = $8::jsonb, wake_at = $9, wait_reason = $10, spec_hash = $11, version = $12, created_at = $13, updated_at = $14, result = $15::jsonb, envelope_version = $16, publish_at = $17, publishing_since = $18
      WHERE post_id = $1 AND version = $2 RETURNING ${POST_COLUMNS}${notifyIfFree(19)}`,
    /** The posts a query names, in no order (the store sorts): only the filters given, each served by an index (list-sql.ts). */
    list: (query: PostQuery): ListStatement => listStatement(posts, POST_COLUMNS, query),

    // ---- claims ----

    /**
     * $1 envelope version, $2 now, $3 owner, $4 accounts (NULL: all): the
     * due posts under a live lease of someone else (candidates for
     * `takeOver`). Locks nothing.
     */
    dueLeasedElsewhere: `SELECT ${LEASE_COLUMNS} FROM ${posts} WHERE ${OPEN(4)} AND coalesce(wake_at, 0) <= $2 AND ${LIVE} AND lease_owner <> $3`,
    /** $1 envelope version, $2 now, $3 owner, $4 accounts (NULL: all), $5 post ids: {@link dueLeasedElsewhere} among the named posts, due or not. */
    namedLeasedElsewhere: `SELECT ${LEASE_COLUMNS} FROM ${posts} WHERE ${OPEN(4)} AND post_id = ANY($5::text[]) AND ${LIVE} AND lease_owner <> $3`,
    /**
     * $1 envelope version, $2 now, $3 post ids whose live lease may be taken
     * over, $4 post ids to leave out (already looked at), $5 limit, $6
     * accounts (NULL: all): due (wake_at <= now) and free posts, never the
     * requester's own live ones (it is working on them), in due order,
     * locked; rows another transaction has locked are skipped, so concurrent
     * claimers never get the same post.
     */
    dueCandidates: `SELECT ${POST_COLUMNS} FROM ${posts}
      WHERE ${OPEN(6)} AND coalesce(wake_at, 0) <= $2 AND (lease_until IS NULL OR NOT ${LIVE} OR post_id = ANY($3::text[])) AND NOT (post_id = ANY($4::text[]))
      ORDER BY ${DUE_ORDER} LIMIT $5 FOR UPDATE SKIP LOCKED`,
    /**
     * $1 envelope version, $2 now, $3 post ids whose live lease may be taken
     * over, $4 post ids to leave out, $5 limit, $6 accounts (NULL: all), $7
     * the post ids asked for, $8 owner: those of them that are free or held
     * by the owner itself (it no longer runs them), whatever their wake_at,
     * in due order, locked as {@link dueCandidates}.
     */
    namedCandidates: `SELECT ${POST_COLUMNS} FROM ${posts}
      WHERE ${OPEN(6)} AND post_id = ANY($7::text[]) AND (lease_until IS NULL OR NOT ${LIVE} OR lease_owner = $8 OR post_id = ANY($3::text[])) AND NOT (post_id = ANY($4::text[]))
      ORDER BY ${DUE_ORDER} LIMIT $5 FOR UPDATE SKIP LOCKED`,
    /**
     * $1 post ids (locked by the caller), $2 their new lease tokens, in the
     * same order, $3 owner, $4 until: grants the leases, writing only the
     * lease columns (a claim is no content write: the version stays).
     */
    grantLeases: `UPDATE ${posts} AS p SET lease_owner = $3, lease_token = c.token, lease_until = $4
      FROM unnest($1::text[], $2::text[]) AS c(post_id, token) WHERE p.post_id = c.post_id RETURNING p.post_id, p.lease_owner, p.lease_token, p.lease_until`,

    // ---- writes of claimed posts: one statement each, checked against the claim ----

    /**
     * A holder's checkpoint: $1 post id, $2 the claim's version, $3 the
     * claim's lease token, $4 state, $5 status, $6 wake_at, $7 wait_reason,
     * $8 updated_at, $9 result (jsonb text or NULL), $10 whether to write
     * the snapshot (false: the stored one stays), $11 the snapshot, $12
     * publishing_since (the pre-publish checkpoint's mark). Bumps the
     * version, keeps the lease. No row back when the claim is no longer the
     * holder's.
     */
    save: `UPDATE ${posts} SET ${progress} WHERE ${held} RETURNING ${LEASE_COLUMNS}, version`,
    /** {@link save}, then the lease given up (park, finish, release with changes); $13 the notify channel. */
    saveAndRelease: `UPDATE ${posts} SET ${progress}, lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE ${held} RETURNING post_id${notifyIfFree(13)}`,
    /** $1 post id, $2 the claim's version, $3 its lease token, $4 the notify channel: gives the lease up, the content (and version) as they are. */
    release: `UPDATE ${posts} SET lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE ${held} RETURNING post_id${notifyIfFree(4)}`,
    /** $1 post id: what a refused claimed write is told (is the post there, who holds it, at which version). */
    holderOf: `SELECT post_id, version, lease_owner, lease_token FROM ${posts} WHERE post_id = $1`,
    /**
     * $1 post ids, $2 their lease tokens (same order), $3 until, $4 owner:
     * extends those leases that are still the owner's, writing the lease's
     * end alone (no content, no version, no updated_at). Returns the
     * leases renewed (post id and token).
     */
    renew: `UPDATE ${posts} AS p SET lease_until = $3 FROM unnest($1::text[], $2::text[]) AS h(post_id, token)
      WHERE p.post_id = h.post_id AND p.lease_token = h.token AND p.lease_owner = $4 RETURNING p.post_id, p.lease_token`,
    /**
     * $1 now, $2 envelope version, $3 accounts (NULL: all): the earliest
     * time an active post is due and its lease (if any) has run out; NULL
     * when none is active.
     */
    nextDue: `SELECT min(coalesce(greatest(wake_at, lease_until), $1)) AS at FROM ${posts} WHERE status = 'active' AND envelope_version = $2 AND ($3::text[] IS NULL OR account = ANY($3::text[]))`,

    // ---- ledger ----

    /** $1 account, $2 post id, $3 at. */
    recordPublish: `INSERT INTO ${publishes} (account, post_id, at) VALUES ($1, $2, $3)`,
    /** $1 account, $2 since: oldest first, ties in recording order. */
    publishesSince: `SELECT account, post_id, at FROM ${publishes} WHERE account = $1 AND at >= $2 ORDER BY at, seq`,
  } as const;
}

/** The statements of one schema; see {@link storeSql}. */
export type StoreSql = ReturnType<typeof storeSql>;
