import { quoteIdentifier } from './identifiers.js';
import { outcomeChannel, quoteLiteral } from './outcome-channel.js';

/** One schema change, applied once per schema and recorded in `schema_migrations`. */
export interface Migration {
  /** Applied in ascending order; never reused or renumbered once released. */
  readonly version: number;
  /** What it does, recorded next to the version. */
  readonly name: string;
  /** The statements, run in order inside the migration transaction. */
  readonly statements: readonly string[];
}

/**
 * Every migration of the PostgreSQL store, oldest first, for `schema`.
 * Append new ones; never edit a released one (schemas already carry it).
 *
 * All timestamps are `bigint` epoch ms from the engine's clock; the
 * database's own `now()` is never used for post data.
 */
export function postgresMigrations(schema: string): readonly Migration[] {
  const s = quoteIdentifier(schema);
  return [
    {
      version: 1,
      name: 'posts and publish ledger',
      statements: [
        `CREATE TABLE ${s}.posts (
          post_id          text    PRIMARY KEY,
          idempotency_key  text    UNIQUE,
          account          text    NOT NULL,
          machine          text    NOT NULL,
          status           text    NOT NULL,
          state            text    NOT NULL,
          snapshot         jsonb,
          wake_at          bigint,
          lease_owner      text,
          lease_until      bigint,
          version          integer NOT NULL,
          created_at       bigint  NOT NULL,
          updated_at       bigint  NOT NULL,
          result           jsonb,
          envelope_version integer NOT NULL
        )`,
        // claimDue / nextDueAt: active posts in due order (no wakeAt counts as 0, due at once)
        `CREATE INDEX posts_due ON ${s}.posts ((coalesce(wake_at, 0)), created_at, post_id) WHERE status = 'active'`,
        `CREATE TABLE ${s}.publishes (
          seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          account text   NOT NULL,
          post_id text   NOT NULL,
          at      bigint NOT NULL
        )`,
        `CREATE INDEX publishes_account_at ON ${s}.publishes (account, at)`,
      ],
    },
    {
      version: 2,
      name: 'wait reason and spec hash of posts',
      statements: [`ALTER TABLE ${s}.posts ADD COLUMN wait_reason text, ADD COLUMN spec_hash text`],
    },
    {
      version: 3,
      // Every claim gets its own token, and every write of a claimed post is checked against it.
      // Rows of envelope version 1 are left as they are (leases without a token, results of the old
      // shape): this igflow reports them as posts of an unknown envelope version, never misreads them.
      name: 'lease token of posts',
      statements: [`ALTER TABLE ${s}.posts ADD COLUMN lease_token text`],
    },
    {
      version: 4,
      name: 'spec of posts',
      statements: [`ALTER TABLE ${s}.posts ADD COLUMN spec jsonb`],
    },
    {
      version: 5,
      // cancel and reschedule: when a post goes live (a column, so listings filter on it) and when its
      // pre-publish checkpoint was stored (from then on it is too late to cancel); indexes for engine.list
      name: 'publish time, publishing mark, listing indexes',
      statements: [
        `ALTER TABLE ${s}.posts ADD COLUMN publish_at bigint, ADD COLUMN publishing_since bigint`,
        `CREATE INDEX posts_list_state ON ${s}.posts (state, created_at, post_id)`,
        `CREATE INDEX posts_list_account ON ${s}.posts (account, state, created_at, post_id)`,
        `CREATE INDEX posts_list_publish_at ON ${s}.posts (publish_at, created_at, post_id) WHERE publish_at IS NOT NULL`,
        ],
      },
      {
      version: 6,
      // The outbox of finished posts (engine.outcomes$, webhooks). A trigger writes the entry in the
      // transaction of the UPDATE that finishes the post, whoever writes it, and announces it on the
      // outcome channel at commit: no finish is without its entry, no entry without its finish.
      name: 'outbox of finished posts',
      statements: [
        `CREATE TABLE ${s}.outbox (
          seq             bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          post_id         text    NOT NULL,
          idempotency_key text,
          account         text    NOT NULL,
          status          text    NOT NULL,
          result          jsonb,
          at              bigint  NOT NULL,
          attempts        integer NOT NULL DEFAULT 0,
          next_attempt_at bigint  NOT NULL,
          delivered_at    bigint,
          lease_owner     text,
          lease_token     text,
          lease_until     bigint
        )`,
        // claimDeliveries / nextDeliveryAt: the undelivered entries in due order
        `CREATE INDEX outbox_undelivered ON ${s}.outbox (next_attempt_at, seq) WHERE delivered_at IS NULL`,
        `CREATE FUNCTION ${s}.outbox_on_finish() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE entry bigint;
        BEGIN
          INSERT INTO ${s}.outbox (post_id, idempotency_key, account, status, result, at, next_attempt_at)
            VALUES (NEW.post_id, NEW.idempotency_key, NEW.account, NEW.status, NEW.result, NEW.updated_at, NEW.updated_at)
            RETURNING seq INTO entry;
          PERFORM pg_notify(${quoteLiteral(outcomeChannel(schema))}, entry::text);
          RETURN NEW;
        END
        $fn$`,
        `CREATE TRIGGER posts_finished AFTER UPDATE OF status ON ${s}.posts FOR EACH ROW
          WHEN (OLD.status = 'active' AND NEW.status <> 'active') EXECUTE FUNCTION ${s}.outbox_on_finish()`,
      ],
    },
    {
      version: 7,
      // Many workers as one client of Instagram (issue 18): the ledger counts container creations
      // too, publishes under way are reserved in the store, and the throttle brakes are shared.
      name: 'container creations, publish reservations and shared brakes',
      statements: [
        `ALTER TABLE ${s}.publishes ADD COLUMN kind text NOT NULL DEFAULT 'publish'`,
        `CREATE INDEX publishes_account_kind_at ON ${s}.publishes (account, kind, at)`,
        `CREATE TABLE ${s}.reservations (
          account text   NOT NULL,
          post_id text   NOT NULL,
          until   bigint NOT NULL,
          PRIMARY KEY (account, post_id)
        )`,
        `CREATE TABLE ${s}.brakes (
          key           text    PRIMARY KEY,
          blocked_until bigint  NOT NULL,
          strikes       integer NOT NULL,
          peak_percent  double precision NOT NULL,
          usage_at      bigint  NOT NULL
        )`,
      ],
    },
    {
      version: 8,
      // Outbox.prune: the delivered entries, oldest first, without reading the undelivered ones or the
      // entries still within the retention (docs/design.md#pruning-the-outbox).
      name: 'delivered outbox entries by age',
      statements: [`CREATE INDEX outbox_delivered ON ${s}.outbox (at, seq) WHERE delivered_at IS NOT NULL`],
    },
  ];
}
