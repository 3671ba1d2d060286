import pg from 'pg';
import type { Pool } from 'pg';
import { StoreError } from '../store-errors.js';
import type { Store } from '../store.js';
import { assertPgName } from './identifiers.js';
import { migrate } from './migrate.js';
import { notifyListener } from './notify-listener.js';
import type { PgContext } from './pg-context.js';
import { connectionSecrets, pgStoreError } from './pg-errors.js';
import { pgBrakes } from './pg-brakes.js';
import { pgLedger } from './pg-ledger.js';
import { pgPosts } from './pg-posts.js';
import { outcomeChannel } from './outcome-channel.js';
import { pgOutbox } from './pg-outbox.js';
import { pgQueue } from './pg-queue.js';
import { assertMigrated } from './schema-check.js';
import { storeSql } from './store-sql.js';

/** Options of {@link postgresStore}. */
export interface PostgresStoreOptions {
  /** A pool to use. The store never closes it: its owner does. Give this or `connectionString`. */
  readonly pool?: Pool;
  /** Where the database is (`postgres://user@host:5432/db`); the store opens a pool and closes it in `close()`. Without either option, node-postgres' PG* environment variables apply. */
  readonly connectionString?: string;
  /** The schema holding the store's tables, created on first use (unless `create` is false). Default `igflow`. */
  readonly schema?: string;
  /**
   * Whether the store may create its schema and run its migrations before
   * its first operation. Default true. With false it creates and changes
   * nothing: it only checks (once, reading the catalog) that the schema
   * exists and carries exactly this igflow's migrations, and every
   * operation fails otherwise with a StoreError of kind `io`: a
   * {@link MissingSchemaError} when the schema does not exist. For tools
   * that only look (`igflow status`).
   */
  readonly create?: boolean;
  /** The LISTEN/NOTIFY channel that wakes idle workers. Default `<schema>_posts`; every store sharing a schema must use the same one. */
  readonly notifyChannel?: string;
  /** Drop the XState snapshot of a post once it is `published` or `failed`. Default false: finished posts keep it. */
  readonly compactFinished?: boolean;
}

/**
 * The store's listener for a pool's 'error' event: an idle connection the
 * server dropped (a restart, say). pg-pool has already discarded it and the
 * next query opens another; without a listener the event would crash the
 * process. One function for every store, so a pool shared by several
 * stores gets it once.
 */
const ignoreIdleError = (): void => undefined;

/** How long opening a connection (or waiting for a free one of the pool) may take before the operation fails, in a pool the store makes. */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * A {@link Store} in PostgreSQL, for engines on several machines sharing one
 * database. One row per post in `<schema>.posts` (the envelope's fields as
 * columns, the spec, XState snapshot and result as jsonb, the lease as
 * owner, token and end), one row per publish in `<schema>.publishes`. The
 * tables are made by versioned migrations (see migrations.ts) that the
 * store runs itself before its first operation, under an advisory lock,
 * recorded in `<schema>.schema_migrations` (with `create: false`, it only
 * checks that they were run, and creates nothing).
 *
 * - Every timestamp is epoch ms from the caller's clock (never the
 *   database's `now()`), stored as bigint, fractions rounded up (epoch-ms.ts).
 * - Posts (pg-posts.ts): `create` is one `INSERT … ON CONFLICT DO NOTHING`,
 *   `put` one compare-and-set on `version`. Envelopes are validated with
 *   the zod schema before they are written, and every row with it when
 *   read: a row that fails is a StoreError for that post alone, named by
 *   its key column (listings report it under `problems`; claims and
 *   nextDueAt pass it over).
 * - Work queue (pg-queue.ts): `claim` with `FOR UPDATE SKIP LOCKED` in one
 *   transaction; every state change of a claimed post is one UPDATE
 *   checked against the claim's version and lease token; `renew` is one
 *   UPDATE of the lease ends alone for any number of posts.
 * - Ledger (pg-ledger.ts): publishes and container creations as rows;
 *   taking a slot (a publish reservation, a creation) is one transaction
 *   under the account's advisory lock, so racing workers never overbook.
 * - Brakes (pg-brakes.ts): one row per account and the app, raised by one
 *   upsert that NOTIFYs every worker on `<channel>_brakes`.
 * - Writes that leave an active post free (create, park, release, an edit
 *   of a free post) send a NOTIFY in the same statement; `watch` LISTENs
 *   on a dedicated connection (notify-listener.ts).
 * - Outbox (pg-outbox.ts): a trigger writes an entry in the transaction
 *   that finishes a post and NOTIFYs `<schema>_outcomes` at commit; its
 *   followers LISTEN on a second dedicated connection.
 * - Database failures are StoreErrors of kind `io`, with passwords blanked out.
 *   A restart of the server is one: operations fail (they never hang: a
 *   connection attempt gives up after 15 s) until it is back, connections
 *   it broke are discarded (checked-out.ts), the pool's 'error' event for
 *   idle ones is listened to (also on a pool the caller gave), and `watch`
 *   listens again once the server answers.
 */
export function postgresStore(options: PostgresStoreOptions = {}): Store {
  if (options.pool && options.connectionString !== undefined) throw new TypeError('postgresStore: give `pool` or `connectionString`, not both');
  const schema = assertPgName('schema', options.schema ?? 'igflow');
  const channel = assertPgName('notifyChannel', options.notifyChannel ?? `${schema}_posts`);
  const owned = options.pool === undefined;
  // keepAlive: a connection whose server vanished without a word is found out, not waited on forever
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, application_name: 'igflow', connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
  // also on a pool the caller gave: adding a listener changes nothing for theirs, and theirs stay
  if (!pool.listeners('error').includes(ignoreIdleError)) pool.on('error', ignoreIdleError);
  const secrets = connectionSecrets(pool.options.connectionString, pool.options.password);
  // the brakes' channel: the posts' one with a suffix, kept within PostgreSQL's 63 bytes of a name
  const brakeChannel = `${channel.slice(0, 56)}_brakes`;
  const connection = { ...pool.options, connectionTimeoutMillis: pool.options.connectionTimeoutMillis || CONNECT_TIMEOUT_MS };
  const listener = notifyListener({ connection, channel });
  const outcomes = notifyListener({ connection, channel: outcomeChannel(schema) });
  const brakeListener = notifyListener({ connection, channel: brakeChannel });
  let migrated: Promise<unknown> | undefined;
  let closing: Promise<void> | undefined;

  /** Runs the migrations (or, with `create: false`, checks they were run) once; again after a failure. */
  const ready = (): Promise<unknown> => {
    migrated ??= (options.create === false ? assertMigrated(pool, schema) : migrate(pool, schema)).catch((error: unknown) => {
      migrated = undefined;
      throw error;
    });
    return migrated;
  };

  const ctx: PgContext = {
    pool,
    schema,
    sql: storeSql(schema),
    channel,
    brakeChannel,
    outcomeChannel: outcomeChannel(schema),
    compact: { compactFinished: options.compactFinished ?? false },
    secrets,
    run: async (postId, doing, work) => {
      try {
        if (closing) throw new StoreError('io', postId, `the postgres store is closed (could not ${doing})`);
        await ready();
        return await work();
      } catch (error) {
        throw pgStoreError(error, postId, doing, secrets);
      }
    },
  };

  return {
    posts: pgPosts(ctx),
    queue: pgQueue(ctx, listener, () => closing !== undefined),
    ledger: pgLedger(ctx),
    brakes: pgBrakes(ctx, brakeListener, () => closing !== undefined),
    outbox: pgOutbox(ctx, outcomes, () => closing !== undefined),
    close() {
      closing ??= (async () => {
        try {
          await listener.close();
          await outcomes.close();
          await brakeListener.close();
          if (owned) await pool.end();
        } catch (error) {
          throw pgStoreError(error, '', 'close', secrets);
        }
      })();
      return closing;
    },
  };
}
