import pg from 'pg';
import type { Pool } from 'pg';
import { sortPosts, sortProblems } from '../post-order.js';
import { ENVELOPE_VERSION, StaleWriteError, StoreError, type CreateResult, type LedgerEntry, type Listing, type PostEnvelope, type Store, type StoreProblem } from '../store.js';
import { storedEnvelope } from '../stored-envelope.js';
import { claimDueIn } from './claim-due.js';
import { comparableNow, readMs, storedMs } from './epoch-ms.js';
import { assertPgName } from './identifiers.js';
import { leasePost } from './lease-post.js';
import { migrate } from './migrate.js';
import { assertMigrated } from './schema-check.js';
import { notifyListener } from './notify-listener.js';
import { envelopeFromRow, insertValues, updateValues, type PostRow } from './post-row.js';
import { connectionSecrets, pgStoreError } from './pg-errors.js';
import { storeSql } from './store-sql.js';
import { inTransaction } from './transaction.js';

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

/** Whether a write may have made a post claimable (unleased, or parked until a time), so idle workers should look again. */
const wakesWorkers = (post: PostEnvelope): boolean => post.status === 'active' && (post.lease === undefined || post.wakeAt !== undefined);

/**
 * A {@link Store} in PostgreSQL, for engines on several machines sharing one
 * database. One row per post in `<schema>.posts` (the envelope's fields as
 * columns, the XState snapshot and result as jsonb), one row per publish in
 * `<schema>.publishes`. The tables are made by versioned migrations (see
 * migrations.ts) that the store runs itself before its first operation,
 * under an advisory lock, recorded in `<schema>.schema_migrations` (with
 * `create: false`, it only checks that they were run, and creates nothing).
 *
 * - Every timestamp is epoch ms from the caller's clock (never the
 *   database's `now()`), stored as bigint, fractions rounded up (epoch-ms.ts).
 * - `create` is one `INSERT … ON CONFLICT DO NOTHING`: of racing creators of
 *   one key, in any process, one inserts and the others read its post.
 * - `put` is one compare-and-set `UPDATE … WHERE version = $expected`; the
 *   idempotency key is never rewritten. Envelopes are validated with the
 *   zod schema before they are written, and every row with it when read: a
 *   row that fails is a StoreError for that post alone (listings report it
 *   under `problems`; claimDue and nextDueAt pass it over).
 * - `lease` reads the row `FOR UPDATE` in a transaction and decides in JS
 *   (lease-rules.ts, `takeOver` included); `claimDue` picks rows
 *   `FOR UPDATE SKIP LOCKED` in one transaction (claim-due.ts), so
 *   concurrent workers never get the same post.
 * - `create`, `release` and every `put` that leaves an active post unleased
 *   or parked (`wakeAt`) send a NOTIFY in the same statement; `watch`
 *   LISTENs on a dedicated connection (notify-listener.ts).
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
  const sql = storeSql(schema);
  const compact = { compactFinished: options.compactFinished ?? false };
  const listener = notifyListener({ connection: { ...pool.options, connectionTimeoutMillis: pool.options.connectionTimeoutMillis || CONNECT_TIMEOUT_MS }, channel });
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

  /** One store operation: refused once closed, run after the migrations, any failure a StoreError. */
  const run = async <T>(postId: string, doing: string, work: () => Promise<T>): Promise<T> => {
    try {
      if (closing) throw new StoreError('io', postId, `the postgres store is closed (could not ${doing})`);
      await ready();
      return await work();
    } catch (error) {
      throw pgStoreError(error, postId, doing, secrets);
    }
  };

  const one = async (text: string, values: unknown[]): Promise<PostEnvelope | undefined> => {
    const { rows } = await pool.query<PostRow>(text, values);
    return rows[0] && envelopeFromRow(rows[0]);
  };

  const versionOf = async (postId: string): Promise<number | undefined> => {
    const { rows } = await pool.query<{ version: number | string }>(sql.versionOf, [postId]);
    return rows[0] && Number(rows[0].version);
  };

  const list = async (text: string): Promise<Listing> => {
    const { rows } = await pool.query<PostRow>(text);
    const posts: PostEnvelope[] = [];
    const problems: StoreProblem[] = [];
    for (const row of rows) {
      try {
        posts.push(envelopeFromRow(row));
      } catch (error) {
        const key = row.idempotency_key ?? undefined;
        problems.push({ postId: row.post_id, ...(key === undefined ? {} : { key }), error: pgStoreError(error, row.post_id, `read post ${row.post_id}`, secrets) });
      }
    }
    return { posts: sortPosts(posts), problems: sortProblems(problems) };
  };

  return {
    get: (postId) => run(postId, `read post ${postId}`, () => one(sql.get, [postId])),

    findByKey: (key) => run('', `find the post of key ${JSON.stringify(key)}`, () => one(sql.findByKey, [key])),

    create: (post) =>
      run(post.postId, `create post ${post.postId}`, async (): Promise<CreateResult> => {
        const stored = storedEnvelope(post, 1, compact);
        const created = await one(sql.insert, [...insertValues(stored), channel]);
        if (created) return { created: true, post: created };
        const holder = stored.key === undefined ? undefined : await one(sql.findByKey, [stored.key]);
        if (holder) return { created: false, post: holder };
        throw new StaleWriteError(stored.postId, 0, await versionOf(stored.postId));
      }),

    put: (post, expectedVersion) =>
      run(post.postId, `write post ${post.postId}`, async () => {
        const next = storedEnvelope({ ...post, key: undefined }, expectedVersion + 1, compact);
        const values = updateValues(next, expectedVersion);
        const written = wakesWorkers(next) ? await one(sql.updateAndNotify, [...values, channel]) : await one(sql.update, values);
        if (written) return written;
        throw new StaleWriteError(post.postId, expectedVersion, await versionOf(post.postId));
      }),

    listUnfinished: () => run('', 'list unfinished posts', () => list(sql.listUnfinished)),
    listAll: () => run('', 'list posts', () => list(sql.listAll)),

    lease: (postId, request) => run(postId, `lease post ${postId}`, () => inTransaction(pool, (client) => leasePost(client, sql, postId, request))),

    release: (postId, owner) =>
      run(postId, `release post ${postId}`, async () => {
        await pool.query(sql.release, [postId, owner, channel]);
      }),

    claimDue: (request) => run('', 'claim due posts', () => inTransaction(pool, (client) => claimDueIn(client, sql, request))),

    nextDueAt: (now, accounts) =>
      run('', 'find the next due post', async () => {
        const { rows } = await pool.query<{ at: string | number | null }>(sql.nextDue, [comparableNow(now), ENVELOPE_VERSION, accounts ?? null]);
        const at = readMs(rows[0]?.at ?? null);
        return at === undefined ? undefined : Math.max(at, now);
      }),

    async watch(wake) {
      try {
        if (closing) throw new Error('the postgres store is closed');
        return await listener.watch(wake);
      } catch (error) {
        throw pgStoreError(error, '', `listen on channel ${JSON.stringify(channel)}`, secrets);
      }
    },

    recordPublish: (entry) =>
      run(entry.postId, `record a publish of post ${entry.postId}`, async () => {
        await pool.query(sql.recordPublish, [entry.account, entry.postId, storedMs(entry.at)]);
      }),

    publishesSince: (account, since) =>
      run('', `read the publishes of account ${account}`, async () => {
        const { rows } = await pool.query<{ account: string; post_id: string; at: string | number }>(sql.publishesSince, [account, Math.ceil(since)]);
        return rows.map((r): LedgerEntry => ({ account: r.account, postId: r.post_id, at: Number(r.at) }));
      }),

    close() {
      closing ??= (async () => {
        try {
          await listener.close();
          if (owned) await pool.end();
        } catch (error) {
          throw pgStoreError(error, '', 'close', secrets);
        }
      })();
      return closing;
    },
  };
}
