import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ENVELOPE_VERSION, type NewPost, type PostEnvelope } from '../../src/adapters/envelope.js';
import { migrate } from '../../src/adapters/postgres/migrate.js';
import { postgresMigrations } from '../../src/adapters/postgres/migrations.js';
import { postgresStore, type PostgresStoreOptions } from '../../src/adapters/postgres/postgres-store.js';
import { MissingSchemaError } from '../../src/adapters/postgres/schema-check.js';
import { DamagedPostError, LeaseLostError, StoreError } from '../../src/adapters/store-errors.js';
import type { Claim, ClaimRequest, Store } from '../../src/adapters/store.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { storeConformance } from './conformance/index.js';
import { newPost } from './fixtures/new-post.js';
import { adminPool, assertPostgresReachable, closeAdminPool, corruptRow, dropSchema, freshSchema, PG_URL, tempPostgresStore } from './fixtures/postgres-schema.js';
import { logQueries } from './fixtures/query-log.js';

// Not reachable: the whole file fails, saying how to start PostgreSQL (never a silent skip).
await assertPostgresReachable();
afterAll(closeAdminPool);

storeConformance('postgres', () => tempPostgresStore(), { storesBytes: true });

const due = (postId: string, overrides: Partial<NewPost> = {}) => newPost(postId, { key: undefined, wakeAt: undefined, ...overrides });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const request = (owner: string, now: number, extra: Partial<ClaimRequest> = {}): ClaimRequest => ({ owner, now, until: now + 60_000, limit: 10, ...extra });
const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(
  () => {
    throw new Error('expected a rejection, but it resolved');
  },
  (error: unknown) => error,
);

/** Resolves once `check` holds, polling every 10 ms (calling `advance` before each poll); rejects after `ms`. */
async function eventually(check: () => boolean | Promise<boolean>, ms: number, what: string, advance?: () => void): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    advance?.();
    await sleep(10);
  }
}

/** The one claim a claim request must make. */
async function claimOne(store: Store, owner: string, now: number, extra: Partial<ClaimRequest> = {}): Promise<Claim> {
  const [claim, ...more] = await store.queue.claim(request(owner, now, extra));
  if (claim === undefined || more.length > 0) throw new Error(`${owner} claimed ${more.length + (claim ? 1 : 0)} posts, not one`);
  return claim;
}

describe('postgres store', () => {
  const undo: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of undo.splice(0).reverse()) await step();
  });
  /** A fresh schema, dropped after the test (after its stores are closed). */
  const schemaForTest = (): string => {
    const schema = freshSchema();
    undo.push(() => dropSchema(schema));
    return schema;
  };
  /** A store closed after the test. */
  const open = (options: PostgresStoreOptions): Store => {
    const store = postgresStore(options.pool ? options : { connectionString: PG_URL, ...options });
    undo.push(() => store.close());
    return store;
  };
  /** A pool of the test's own, its statements logged, ended after the test (after the stores on it are closed). */
  const loggedPool = () => {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 2 });
    undo.push(() => pool.end());
    return { pool, log: logQueries(pool) };
  };
  const q = (text: string, values: unknown[] = []) => adminPool().query(text, values);
  const rowOf = async (schema: string, postId: string) => (await q(`SELECT * FROM "${schema}".posts WHERE post_id = $1`, [postId])).rows[0] as Record<string, unknown> | undefined;

  describe('migrations', () => {
    it('run on first use, once, and are recorded in schema_migrations', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      expect((await q('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount).toBe(0);
      await store.posts.get('p1');
      const { rows } = await q(`SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`);
      expect(rows).toEqual(postgresMigrations(schema).map(({ version, name }) => ({ version, name })));
      expect(rows.map((r: { version: number }) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const tables = await q('SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename', [schema]);
      expect(tables.rows.map((r: { tablename: string }) => r.tablename)).toEqual(['brakes', 'outbox', 'posts', 'publishes', 'reservations', 'schema_migrations']);
      const columns = await q(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'posts' AND column_name IN ('lease_token', 'spec') ORDER BY column_name`, [schema]);
      expect(columns.rows).toEqual([
        { column_name: 'lease_token', data_type: 'text' },
        { column_name: 'spec', data_type: 'jsonb' },
      ]);
      const indexes = await q('SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1', [schema]);
      const defs = Object.fromEntries(indexes.rows.map((r: { indexname: string; indexdef: string }) => [r.indexname, r.indexdef]));
      expect(defs.posts_due).toMatch(/\(COALESCE\(wake_at, \(?0\)?(::bigint)?\), created_at, post_id\) WHERE \(status = 'active'::text\)/);
      expect(defs.posts_idempotency_key_key).toMatch(/UNIQUE .*\(idempotency_key\)/);
      expect(defs.publishes_account_at).toMatch(/\(account, at\)/);
      expect(defs.publishes_account_kind_at).toMatch(/\(account, kind, at\)/);
      expect(defs.outbox_undelivered).toMatch(/\(next_attempt_at, seq\) WHERE \(delivered_at IS NULL\)/);
    });

    it('a schema of the previous release (migrations 1 and 2) is upgraded in place; its envelope-1 rows are reported, not misread', async () => {
      const schema = schemaForTest();
      await migrate(adminPool(), schema, postgresMigrations(schema).slice(0, 2));
      await q(`INSERT INTO "${schema}".posts (post_id, idempotency_key, account, machine, status, state, lease_owner, lease_until, version, created_at, updated_at, envelope_version)
        VALUES ('old', 'old-key', '17841400000000001', 'post', 'active', 'polling', 'host/9', 99000, 3, 1000, 2000, 1)`);
      const store = open({ schema });
      await store.posts.create(due('new'));
      expect((await q(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`)).rows.map((r: { version: number }) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const { posts, problems } = await store.posts.list();
      expect(posts.map((p) => p.postId)).toEqual(['new']);
      expect(problems.map((p) => [p.postId, p.key, p.error.kind])).toEqual([['old', 'old-key', 'unknown-version']]);
      expect((await store.queue.claim(request('w', 10_000, { postIds: ['old', 'new'] }))).map((c) => c.post.postId)).toEqual(['new']);
      // its key stays taken: a new post with it is refused with the old post's damage, never stored twice
      const reused = await rejection(store.posts.create(due('again', { key: 'old-key' })));
      expect(reused).toBeInstanceOf(DamagedPostError);
      expect(reused).toMatchObject({ kind: 'unknown-version', postId: 'old', key: 'old-key' });
      expect(await rowOf(schema, 'again')).toBeUndefined();
    });

    it('a second store on the same schema finds them applied and does not run them again', async () => {
      const schema = schemaForTest();
      const first = open({ schema });
      await first.posts.create(newPost('p1'));
      const before = (await q(`SELECT version, applied_at FROM "${schema}".schema_migrations ORDER BY version`)).rows;
      const second = open({ schema });
      expect((await second.posts.list()).posts.map((p) => p.postId)).toEqual(['p1']);
      expect((await q(`SELECT version, applied_at FROM "${schema}".schema_migrations ORDER BY version`)).rows).toEqual(before);
      expect(await migrate(adminPool(), schema)).toEqual([]);
    });

    it('8 stores starting at once on a fresh schema all work, and apply each migration once', async () => {
      const schema = schemaForTest();
      const stores = Array.from({ length: 8 }, () => open({ schema }));
      const results = await Promise.all(stores.map((store, i) => store.posts.create(newPost(`p${i}`, { key: 'same-key' }))));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      await Promise.all(stores.map((store, i) => store.posts.create(newPost(`q${i}`))));
      expect((await stores[0]?.posts.list())?.posts).toHaveLength(9);
      const { rows } = await q(`SELECT version, count(*)::int AS n FROM "${schema}".schema_migrations GROUP BY version ORDER BY version`);
      expect(rows).toEqual(postgresMigrations(schema).map(({ version }) => ({ version, n: 1 })));
    });

    it('a schema migrated by a newer igflow is refused with a clear StoreError', async () => {
      const schema = schemaForTest();
      await open({ schema }).posts.get('p1');
      await q(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES (99, 'from the future')`);
      const error = await rejection(open({ schema }).posts.get('p1'));
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ kind: 'io', message: expect.stringMatching(/version 99 by a newer igflow/) as unknown });
    });
  });

  describe('create: false', () => {
    const schemaExists = async (schema: string) => (await q('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1;

    it('a missing schema fails every operation with MissingSchemaError, and nothing is created', async () => {
      const schema = schemaForTest();
      const store = open({ schema, create: false });
      const operations = [() => store.posts.list(), () => store.posts.get('p1'), () => store.posts.create(newPost('p1')), () => store.queue.claim(request('w', 0)), () => store.queue.nextDueAt(0), () => store.ledger.publishesSince('a', 0)];
      for (const operation of operations) {
        const error = await rejection(operation());
        expect(error).toBeInstanceOf(MissingSchemaError);
        expect(error).toMatchObject({ kind: 'io', schema, message: `schema "${schema}" does not exist (the store was opened without creating anything)` });
      }
      expect(await schemaExists(schema)).toBe(false);
    });

    it('a schema without igflow tables is refused and left empty', async () => {
      const schema = schemaForTest();
      await q(`CREATE SCHEMA "${schema}"`);
      const error = await rejection(open({ schema, create: false }).posts.list());
      expect(error).toBeInstanceOf(StoreError);
      expect(error).not.toBeInstanceOf(MissingSchemaError);
      expect(error).toMatchObject({ kind: 'io', message: expect.stringMatching(/holds no igflow store/) as unknown });
      expect((await q('SELECT 1 FROM pg_tables WHERE schemaname = $1', [schema])).rowCount).toBe(0);
    });

    it('a schema lacking migrations is refused, not migrated', async () => {
      const schema = schemaForTest();
      await migrate(adminPool(), schema, postgresMigrations(schema).slice(0, 2)); // the previous release's schema
      const error = await rejection(open({ schema, create: false }).posts.list());
      expect(error).toMatchObject({ kind: 'io', message: expect.stringMatching(/lacks migrations 3, 4, 5, 6, 7, 8 of this igflow/) as unknown });
      expect((await q(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`)).rows).toEqual([{ version: 1 }, { version: 2 }]);
    });

    it('a migrated schema is read and written as usual, and a schema found missing is looked for again', async () => {
      const schema = schemaForTest();
      const looker = open({ schema, create: false });
      await expect(looker.posts.list()).rejects.toBeInstanceOf(MissingSchemaError);
      await open({ schema }).posts.create(newPost('p1'));
      expect((await looker.posts.list()).posts.map((p) => p.postId)).toEqual(['p1']);
      expect((await looker.posts.create(newPost('p2'))).created).toBe(true);
    });
  });

  describe('outbox', () => {
    it('a follower is told of an entry whose transaction took the earlier seq but committed after a later one', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      await store.posts.create(due('early'));
      await store.posts.create(due('late'));
      const told: string[] = [];
      const stop = await store.outbox.follow((entry) => told.push(`${entry.postId}:${entry.id}`), { clock: new VirtualClock(0), pollMs: 10 });
      const first = await adminPool().connect();
      try {
        await first.query('BEGIN');
        await first.query(`UPDATE "${schema}".posts SET status = 'published', updated_at = 5000 WHERE post_id = 'early'`); // takes its seq now, commits last
        await q(`UPDATE "${schema}".posts SET status = 'failed', updated_at = 6000 WHERE post_id = 'late'`);
        await eventually(() => told.length === 1, 5_000, 'the later entry');
        await first.query('COMMIT');
      } finally {
        first.release();
      }
      await eventually(() => told.length === 2, 5_000, 'the entry that committed last');
      await stop();
      const seqs = (await q(`SELECT post_id, seq FROM "${schema}".outbox ORDER BY seq`)).rows.map((r: { post_id: string; seq: string }) => `${r.post_id}:${r.seq}`);
      expect(seqs[0]).toMatch(/^early:/);
      expect(told).toEqual([seqs[1], seqs[0]]);
    });

    it('a follower whose read after a notification fails tries again on the clock, backing off, and tells the entry without another notification', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      await store.posts.create(due('p1'));
      await store.posts.create(due('p2'));
      const clock = new VirtualClock(0);
      const told: string[] = [];
      const stop = await store.outbox.follow((entry) => told.push(entry.postId), { clock, pollMs: 10 });
      try {
        // the finish and its notification commit with the outbox renamed away: the read the notification starts fails
        const admin = await adminPool().connect();
        try {
          await admin.query('BEGIN');
          await admin.query(`UPDATE "${schema}".posts SET status = 'published', updated_at = 5000 WHERE post_id = 'p1'`);
          await admin.query(`ALTER TABLE "${schema}".outbox RENAME TO outbox_away`);
          await admin.query('COMMIT');
        } finally {
          admin.release();
        }
        await eventually(() => clock.pending > 0, 5_000, 'a retry armed on the clock');
        expect(told).toEqual([]);
        clock.advanceBy(250); // a retry fails too while the table is away: the next waits longer
        await eventually(() => clock.nextAt === 750, 5_000, 'the second retry, 500 ms after the first');
        await q(`ALTER TABLE "${schema}".outbox_away RENAME TO outbox`);
        await sleep(50);
        expect(told).toEqual([]); // nothing happens until the clock says so
        clock.advanceBy(500);
        await eventually(() => told.length === 1, 5_000, 'the entry, told on a retry');
        expect(told).toEqual(['p1']);
        await q(`UPDATE "${schema}".posts SET status = 'failed', updated_at = 6000 WHERE post_id = 'p2'`);
        await eventually(() => told.length === 2, 5_000, 'the next entry, on its notification');
        expect(told).toEqual(['p1', 'p2']);
      } finally {
        await stop();
      }
    });

    it('a follower whose read of an entry that committed late fails still tells that entry on the retry', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      await store.posts.create(due('early'));
      await store.posts.create(due('late'));
      const clock = new VirtualClock(0);
      const told: string[] = [];
      const stop = await store.outbox.follow((entry) => told.push(entry.postId), { clock, pollMs: 10 });
      const first = await adminPool().connect();
      try {
        await first.query('BEGIN');
        await first.query(`UPDATE "${schema}".posts SET status = 'published', updated_at = 5000 WHERE post_id = 'early'`); // takes its seq now, commits last
        await q(`UPDATE "${schema}".posts SET status = 'failed', updated_at = 6000 WHERE post_id = 'late'`);
        await eventually(() => told.length === 1, 5_000, 'the later entry');
        await first.query(`ALTER TABLE "${schema}".outbox RENAME TO outbox_away`); // the read its notification starts fails
        await first.query('COMMIT');
      } finally {
        first.release();
      }
      await eventually(() => clock.pending > 0, 5_000, 'a retry armed on the clock');
      await q(`ALTER TABLE "${schema}".outbox_away RENAME TO outbox`);
      await eventually(() => told.length === 2, 5_000, 'the entry that committed last, on a retry', () => clock.advanceBy(250));
      await stop();
      expect(told).toEqual(['late', 'early']);
    });

    it('a follower whose read after a notification loses its connection tells the entry on a retry over a new one', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      await store.posts.create(due('p1'));
      const clock = new VirtualClock(0);
      const told: string[] = [];
      const stop = await store.outbox.follow((entry) => told.push(entry.postId), { clock, pollMs: 10 });
      const finisher = await adminPool().connect();
      const locker = await adminPool().connect();
      const waitingOnLock = async (pattern: string): Promise<number | undefined> => {
        const { rows } = await q(`SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [pattern]);
        return (rows[0] as { pid?: number } | undefined)?.pid;
      };
      try {
        // the finish commits while a lock waits for the outbox table: the follower's read queues behind it
        await finisher.query('BEGIN');
        await finisher.query(`UPDATE "${schema}".posts SET status = 'published', updated_at = 5000 WHERE post_id = 'p1'`);
        await locker.query('BEGIN');
        const locked = locker.query(`LOCK TABLE "${schema}".outbox IN ACCESS EXCLUSIVE MODE`);
        await eventually(async () => (await waitingOnLock('LOCK TABLE%')) !== undefined, 5_000, 'the lock waiting');
        await finisher.query('COMMIT');
        await locked;
        let reader: number | undefined;
        await eventually(async () => (reader = await waitingOnLock('%WHERE seq > $1%')) !== undefined, 5_000, "the follower's read waiting");
        await q('SELECT pg_terminate_backend($1)', [reader]);
        await eventually(async () => (await waitingOnLock('%WHERE seq > $1%')) === undefined, 5_000, 'the read cut off');
        await locker.query('ROLLBACK');
        await sleep(50);
        expect(told).toEqual([]);
        await eventually(() => told.length === 1, 5_000, 'the entry, told on a retry', () => clock.advanceBy(250));
        expect(told).toEqual(['p1']);
      } finally {
        finisher.release();
        locker.release();
        await stop();
      }
    });
  });

  describe('claiming across processes', () => {
    it('4 stores with their own pools claiming due posts at once over 200 give each post to exactly one', async () => {
      const schema = schemaForTest();
      const seeder = open({ schema });
      for (let i = 0; i < 200; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => seeder.posts.create(due(`p${String(i + j).padStart(3, '0')}`, { createdAt: 1_000 + i + j }))));
      const workers = ['w1', 'w2', 'w3', 'w4'].map((owner) => ({ owner, store: open({ schema }), got: new Set<string>() }));
      await Promise.all(
        workers.map(async (w) => {
          // a worker is never handed a due post it holds itself: it claims until none is left
          for (;;) {
            const claims = await w.store.queue.claim(request(w.owner, 10_000, { limit: 7 }));
            if (claims.length === 0) return;
            for (const claim of claims) w.got.add(claim.post.postId);
          }
        }),
      );
      const all = workers.flatMap((w) => [...w.got]);
      expect(all).toHaveLength(200);
      expect(new Set(all).size).toBe(200);
      expect(workers.filter((w) => w.got.size > 0).length).toBeGreaterThan(1);
      const owners = new Map((await seeder.posts.list()).posts.map((p) => [p.postId, p.lease?.owner]));
      for (const w of workers) for (const postId of w.got) expect(owners.get(postId)).toBe(w.owner);
    });

    it('4 stores claiming the same named posts at once give each to exactly one, whatever their wake_at', async () => {
      const schema = schemaForTest();
      const seeder = open({ schema });
      const stores = ['w1', 'w2', 'w3', 'w4'].map((owner) => ({ owner, store: open({ schema }) }));
      // each store past its migration check (an advisory lock would line their first calls up), so the claims race
      await Promise.all(stores.map(({ store }) => store.queue.nextDueAt(0)));
      for (let round = 0; round < 8; round++) {
        const ids = Array.from({ length: 30 }, (_, i) => `r${round}-${String(i).padStart(2, '0')}`);
        await Promise.all(ids.map((id, i) => seeder.posts.create(due(id, { wakeAt: 500_000 + i }))));
        const rounds = await Promise.all(stores.map(({ owner, store }) => store.queue.claim(request(owner, 10_000, { postIds: ids, limit: ids.length }))));
        expect(rounds.flat().map((c) => c.post.postId).sort()).toEqual(ids);
        const owners = new Map((await seeder.posts.list()).posts.map((p) => [p.postId, p.lease?.owner]));
        for (const [i, claims] of rounds.entries()) for (const claim of claims) expect(owners.get(claim.post.postId)).toBe(stores[i]?.owner);
      }
    });

    it('takes a live lease over only when takeOver allows, asking once per lease', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      await store.posts.create(due('dead1', { createdAt: 1 }), { owner: 'host/1', until: 50_000 });
      await store.posts.create(due('dead2', { createdAt: 2 }), { owner: 'host/1', until: 50_000 });
      await store.posts.create(due('alive', { createdAt: 3 }), { owner: 'host/2', until: 50_000 });
      await store.posts.create(due('free', { createdAt: 4 }));
      const asked: string[] = [];
      const claims = await store.queue.claim(request('me', 10_000, { takeOver: (held) => (asked.push(`${held.owner} ${held.token}`), held.owner === 'host/1') }));
      expect(claims.map((c) => c.post.postId)).toEqual(['dead1', 'dead2', 'free']);
      // three leases (each claim has its own token), each asked about once although the rules look twice
      expect(asked).toHaveLength(3);
      expect(new Set(asked).size).toBe(3);
      expect(asked.map((a) => a.split(' ')[0]).sort()).toEqual(['host/1', 'host/1', 'host/2']);
      expect((await store.posts.get('alive'))?.lease?.owner).toBe('host/2');
      const named: string[] = [];
      expect(await store.queue.claim(request('me', 10_000, { postIds: ['alive'], takeOver: (held) => (named.push(held.owner), false) }))).toEqual([]);
      expect(named).toEqual(['host/2']);
    });

    it('passes over rows it cannot read and still fills the limit; nextDueAt ignores unknown-version rows', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      for (const [i, id] of ['torn', 'future', 'a', 'b'].entries()) await store.posts.create(due(id, { createdAt: i }));
      await corruptRow(schema, 'torn', '{"v":2,"po');
      await corruptRow(schema, 'future', JSON.stringify({ v: ENVELOPE_VERSION + 1 }));
      expect((await store.queue.claim(request('w', 10_000, { limit: 2 }))).map((c) => c.post.postId)).toEqual(['a', 'b']);
      expect((await store.queue.claim(request('w2', 10_000, { postIds: ['torn', 'future'] })))).toEqual([]);
      await q(`DELETE FROM "${schema}".posts WHERE post_id = 'torn'`);
      expect(await store.queue.nextDueAt(10_000)).toBe(70_000);
    });
  });

  describe('writes of claimed posts', () => {
    /** A store on a logged pool, with three due posts claimed by w1 (each with a big, recognisable snapshot). */
    const threeClaimed = async () => {
      const schema = schemaForTest();
      const { pool, log } = loggedPool();
      const store = open({ pool, schema });
      const snapshot = { marker: 'SNAPSHOT-MARKER', pad: 'x'.repeat(4_000) };
      for (const [i, id] of ['a', 'b', 'c'].entries()) await store.posts.create(due(id, { createdAt: 1_000 + i, snapshot }));
      const claims = await store.queue.claim(request('w1', 10_000));
      expect(claims.map((c) => c.post.postId)).toEqual(['a', 'b', 'c']);
      log.clear();
      return { schema, store, log, claims };
    };

    it('renewing 3 leases is one statement that sends no content and leaves snapshot, version and updated_at as they were', async () => {
      const { schema, store, log, claims } = await threeClaimed();
      const before = await Promise.all(claims.map((c) => rowOf(schema, c.post.postId)));
      const lost = await store.queue.renew('w1', claims.map((c) => ({ postId: c.post.postId, token: c.lease.token })), 130_000);
      expect(lost).toEqual([]);
      expect(log.queries).toHaveLength(1);
      expect(JSON.stringify(log.queries[0]?.values)).not.toContain('SNAPSHOT-MARKER');
      expect(log.bytes().sent).toBeLessThan(1_000);
      const after = await Promise.all(claims.map((c) => rowOf(schema, c.post.postId)));
      for (const [i, row] of after.entries()) {
        expect(row).toEqual({ ...before[i], lease_until: '130000' });
        expect(row?.lease_until).not.toEqual(before[i]?.lease_until);
      }
    });

    it('a renewal refused for some leases is still one statement, and names only those', async () => {
      const { store, log, claims } = await threeClaimed();
      const [a, b, c] = claims;
      if (!a || !b || !c) throw new Error('claims missing');
      const lost = await store.queue.renew('w1', [{ postId: 'a', token: a.lease.token }, { postId: 'b', token: 'not-its-token' }, { postId: 'gone', token: c.lease.token }], 130_000);
      expect(lost).toEqual(['b', 'gone']);
      expect(log.queries).toHaveLength(1);
      expect(await store.queue.renew('w2', [{ postId: 'c', token: c.lease.token }], 130_000)).toEqual(['c']);
      expect((await store.posts.get('c'))?.lease?.until).toBe(70_000);
    });

    it('save, park, finish and release are one statement each; save sends the snapshot only when it changes', async () => {
      const { store, log, claims } = await threeClaimed();
      const [a, b, c] = claims;
      if (!a || !b || !c) throw new Error('claims missing');
      const saved = await store.queue.save(a, { state: 'polling', updatedAt: 11_000 });
      expect(log.queries).toHaveLength(1);
      expect(JSON.stringify(log.queries[0]?.values)).not.toContain('SNAPSHOT-MARKER');
      expect((await store.posts.get('a'))?.snapshot).toEqual(a.post.snapshot);
      log.clear();
      await store.queue.save(saved, { snapshot: { marker: 'SNAPSHOT-MARKER', step: 2 } });
      expect(log.queries).toHaveLength(1);
      expect(JSON.stringify(log.queries[0]?.values)).toContain('SNAPSHOT-MARKER');
      expect((await store.posts.get('a'))?.snapshot).toEqual({ marker: 'SNAPSHOT-MARKER', step: 2 });
      for (const write of [() => store.queue.park(b, { wakeAt: 90_000, waitReason: 'schedule' }), () => store.queue.finish(c, { status: 'failed', state: 'failed', result: { outcome: 'failed', error: { name: 'E', errorClass: 'invalid-input', retryable: false, message: 'no', remedy: 'fix' } } })]) {
        log.clear();
        await write();
        expect(log.queries).toHaveLength(1);
      }
      const again = await claimOne(store, 'w1', 10_000, { postIds: ['a'] });
      log.clear();
      await store.queue.release(again);
      expect(log.queries).toHaveLength(1);
    });

    it('release without changes gives the lease up and keeps the version; with changes it bumps it', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      await store.posts.create(due('p'));
      const first = await claimOne(store, 'w1', 10_000);
      await store.queue.release(first);
      expect(await rowOf(schema, 'p')).toMatchObject({ version: 1, lease_owner: null, lease_token: null, lease_until: null });
      const second = await claimOne(store, 'w1', 10_000);
      await store.queue.release(second, { state: 'polling' });
      expect(await rowOf(schema, 'p')).toMatchObject({ version: 2, state: 'polling', lease_token: null });
    });

    it('a refused write says why: held by another, given up, changed meanwhile, gone', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      for (const id of ['held', 'free', 'edited', 'gone']) await store.posts.create(due(id));
      const mine = new Map((await store.queue.claim(request('w1', 10_000))).map((c) => [c.post.postId, c]));
      const claimOf = (id: string): Claim => {
        const claim = mine.get(id);
        if (!claim) throw new Error(`no claim of ${id}`);
        return claim;
      };
      await claimOne(store, 'w2', 80_000, { postIds: ['held'] });
      await store.queue.release(claimOf('free'));
      await store.posts.put({ ...claimOf('edited').post, state: 'cancel requested' }, 1);
      await q(`DELETE FROM "${schema}".posts WHERE post_id = 'gone'`);
      const reasons = await Promise.all(['held', 'free', 'edited', 'gone'].map(async (id) => {
        const error = await rejection(store.queue.save(claimOf(id), { state: 'publishing' }));
        expect(error).toBeInstanceOf(LeaseLostError);
        expect(error).toMatchObject({ postId: id, kind: 'stale-write' });
        return (error as Error).message;
      }));
      expect(reasons).toEqual([
        "post held is no longer this worker's: it is held by w2",
        "post free is no longer this worker's: its lease was given up",
        "post edited is no longer this worker's: it changed meanwhile (version 2, this worker had 1)",
        "post gone is no longer this worker's: it is gone from the store",
      ]);
    });
  });

  describe('watch (LISTEN/NOTIFY)', () => {
    it('fires within a second when another store creates a post', async () => {
      const schema = schemaForTest();
      const [watcher, writer] = [open({ schema }), open({ schema })];
      let calls = 0;
      const unwatch = await watcher.queue.watch?.(() => calls++);
      const started = Date.now();
      await writer.posts.create(newPost('p1'));
      await eventually(() => calls > 0, 1_000, 'a notification');
      expect(Date.now() - started).toBeLessThan(1_000);
      await unwatch?.();
    });

    it('fires on park, release and a free create or edit; not on a claimed create, a claim, a save, a finish, nor after unsubscribing', async () => {
      const schema = schemaForTest();
      const [watcher, writer] = [open({ schema }), open({ schema })];
      let calls = 0;
      const unwatch = await watcher.queue.watch?.(() => calls++);
      /** Waits out a write's notification, or its absence: then `calls` must be `expected`. */
      const settled = async (expected: number, what: string) => {
        if (expected > 0) await eventually(() => calls >= expected, 1_000, what);
        await sleep(150);
        expect(calls, what).toBe(expected);
      };
      const created = await writer.posts.create(due('p1'), { owner: 'w', until: 60_000 });
      if (!created.created || !created.claim) throw new Error('no claim');
      await settled(0, 'no notification for a create that claims');
      const saved = await writer.queue.save(created.claim, { state: 'publishing' });
      await settled(0, 'no notification for a save');
      await writer.queue.park(saved, { wakeAt: 90_000, waitReason: 'schedule' });
      await settled(1, 'the park notification');
      const claim = await claimOne(writer, 'w', 90_000);
      await settled(1, 'no notification for a claim');
      await writer.queue.release(claim);
      await settled(2, 'the release notification');
      const again = await claimOne(writer, 'w', 90_000);
      await writer.queue.finish(again, { status: 'published', state: 'published', result: { outcome: 'published', mediaId: '1', containerId: 'c' } });
      await settled(2, 'no notification for a finish');
      const free = await writer.posts.create(due('p2'));
      await settled(3, 'the notification for a free create');
      await writer.posts.put({ ...free.post, wakeAt: 50_000 }, 1);
      await settled(4, 'the notification for an edit of a free post');
      await unwatch?.();
      await writer.posts.create(newPost('p3'));
      await sleep(200);
      expect(calls).toBe(4);
    });

    it('wakes its subscribers when the listening connection is lost, and listens again', async () => {
      const schema = schemaForTest();
      const [watcher, writer] = [open({ schema }), open({ schema })];
      let calls = 0;
      const unwatch = await watcher.queue.watch?.(() => calls++);
      const listeners = async (): Promise<number[]> => (await q('SELECT pid FROM pg_stat_activity WHERE query = $1', [`LISTEN "${schema}_posts"`])).rows.map((r: { pid: number }) => r.pid);
      const [pid] = await listeners();
      await q('SELECT pg_terminate_backend($1)', [pid]);
      await eventually(() => calls >= 1, 1_000, 'the wake-up for the lost connection');
      await eventually(async () => (await listeners()).some((p) => p !== pid), 2_000, 'a new listening connection');
      await sleep(50);
      const before = calls;
      await writer.posts.create(newPost('p1'));
      await eventually(() => calls > before, 1_000, 'a notification on the new connection');
      await unwatch?.();
    });
  });

  describe('pools', () => {
    it('close() leaves a pool it was given open', async () => {
      const schema = schemaForTest();
      const pool = new pg.Pool({ connectionString: PG_URL, max: 2 });
      undo.push(() => pool.end());
      const store = postgresStore({ pool, schema });
      await store.posts.create(newPost('p1'));
      const unwatch = await store.queue.watch?.(() => undefined);
      await unwatch?.();
      await store.close();
      expect(pool.ended).toBe(false);
      expect((await pool.query('SELECT count(*)::int AS n FROM "' + schema + '".posts')).rows).toEqual([{ n: 1 }]);
      await expect(store.posts.get('p1')).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/closed/) as unknown });
    });

    it('close() ends the pool it made; calls after it fail with a StoreError', async () => {
      const store = open({ schema: schemaForTest() });
      await store.posts.create(newPost('p1'));
      await store.close();
      for (const call of [() => store.posts.get('p1'), () => store.queue.claim(request('w', 0)), () => store.queue.renew('w', [{ postId: 'p1', token: 't' }], 1), () => store.ledger.recordPublish({ account: 'a', postId: 'p1', at: 1 })]) {
        await expect(call()).rejects.toBeInstanceOf(StoreError);
      }
      await expect(store.queue.watch?.(() => undefined)).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/closed/) as unknown });
      await expect(store.close()).resolves.toBeUndefined();
    });
  });

  describe('errors and options', () => {
    it('an unreachable server is a StoreError of kind io that never shows the password', async () => {
      const store = postgresStore({ connectionString: 'postgres://igflow:s3cret-pw@127.0.0.1:1/test', schema: 'x' });
      undo.push(() => store.close());
      const error = await rejection(store.posts.get('p1'));
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ kind: 'io', postId: 'p1' });
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
      expect((error as Error).message).not.toContain('s3cret-pw');
      const watchError = await store.queue.watch?.(() => undefined).catch((e: unknown) => e);
      expect(watchError).toMatchObject({ kind: 'io' });
      expect((watchError as Error).message).not.toContain('s3cret-pw');
    });

    it('refuses contradictory options and names PostgreSQL would truncate', () => {
      const pool = new pg.Pool({ connectionString: PG_URL });
      expect(() => postgresStore({ pool, connectionString: PG_URL })).toThrow(TypeError);
      expect(() => postgresStore({ pool, schema: '' })).toThrow(RangeError);
      expect(() => postgresStore({ pool, schema: 'x'.repeat(64) })).toThrow(RangeError);
      expect(() => postgresStore({ pool, schema: 'x'.repeat(60) })).toThrow(/notifyChannel/);
      return pool.end();
    });

    it('refuses a claim with an invalid owner before writing anything', async () => {
      const store = open({ schema: schemaForTest() });
      await store.posts.create(due('p'));
      expect(await rejection(store.queue.claim(request('', 10_000)))).toMatchObject({ kind: 'corrupt' });
      expect((await store.posts.get('p'))?.lease).toBeUndefined();
    });

    it('works in a schema whose name needs quoting', async () => {
      const schema = `${schemaForTest()}-Odd "Name"`;
      undo.push(() => dropSchema(schema));
      const store = open({ schema });
      await store.posts.create(newPost('p1'));
      const [claim] = await store.queue.claim(request('w', 10_000, { until: 20_000 }));
      expect(claim?.post.postId).toBe('p1');
      if (!claim) return;
      expect(await store.queue.renew('w', [{ postId: 'p1', token: claim.lease.token }], 30_000)).toEqual([]);
      await store.queue.park(claim, { wakeAt: 40_000 });
      expect(await store.queue.nextDueAt(10_000)).toBe(40_000);
    });
  });

  describe('storage', () => {
    it('keeps the envelope fields in their columns, spec, snapshot and result as jsonb, and timestamps as bigint', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      const created = await store.posts.create(newPost('p1', { key: 'k1' }), { owner: 'w1', until: 9_000 });
      const { rows } = await q(`SELECT *, jsonb_typeof(snapshot) AS snapshot_type, jsonb_typeof(spec) AS spec_type FROM "${schema}".posts`);
      expect(rows).toEqual([
        expect.objectContaining({
          post_id: 'p1',
          idempotency_key: 'k1',
          status: 'active',
          snapshot_type: 'object',
          spec_type: 'object',
          spec: newPost('p1').spec,
          wake_at: null,
          lease_owner: 'w1',
          lease_token: created.created ? created.claim?.lease.token : 'none',
          lease_until: '9000',
          version: 1,
          created_at: '1000',
          result: null,
          envelope_version: ENVELOPE_VERSION,
        }),
      ]);
      expect((rows[0] as { lease_token: unknown } | undefined)?.lease_token).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('round-trips snapshots and specs that are arrays or JSON null', async () => {
      const store = open({ schema: schemaForTest() });
      await store.posts.create(newPost('array', { snapshot: [1, { a: [2] }], spec: ['x'] }));
      await store.posts.create(newPost('null', { snapshot: null, spec: null }));
      expect(await store.posts.get('array')).toMatchObject({ snapshot: [1, { a: [2] }], spec: ['x'] });
      expect(await store.posts.get('null')).toMatchObject({ snapshot: null, spec: null });
    });

    it('a row whose lease columns do not make a lease is a damaged post', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      await store.posts.create(due('p', { key: 'k' }), { owner: 'w', until: 60_000 });
      await q(`UPDATE "${schema}".posts SET lease_token = NULL WHERE post_id = 'p'`);
      const error = await rejection(store.posts.get('p'));
      expect(error).toBeInstanceOf(DamagedPostError);
      expect(error).toMatchObject({ kind: 'corrupt', postId: 'p', key: 'k', message: expect.stringMatching(/^post "k" \(p\) is corrupt: the wrong shape at lease\.token/) as unknown });
    });

    it('rounds fractional timestamps up: never due early, never a lease ending early', async () => {
      const store = open({ schema: schemaForTest() });
      await store.posts.create(newPost('p1', { wakeAt: 1_500.25 }));
      expect((await store.posts.get('p1'))?.wakeAt).toBe(1_501);
      expect(await store.queue.claim({ owner: 'w', now: 1_500.5, until: 2_000.5, limit: 1 })).toEqual([]);
      expect(await store.queue.nextDueAt(1_500.5)).toBe(1_501);
      const [claimed] = await store.queue.claim({ owner: 'w', now: 1_501, until: 2_000.5, limit: 1 });
      expect(claimed?.lease).toMatchObject({ owner: 'w', until: 2_001 });
      expect((await store.posts.get('p1'))?.lease).toEqual(claimed?.lease);
      if (!claimed) return;
      await store.queue.renew('w', [{ postId: 'p1', token: claimed.lease.token }], 3_000.1);
      expect((await store.posts.get('p1'))?.lease?.until).toBe(3_001);
    });

    it('keeps the snapshot of finished posts, unless compactFinished: on an edit and on a finish', async () => {
      const finish = (post: PostEnvelope): PostEnvelope => ({ ...post, status: 'published', state: 'published', result: { outcome: 'published', mediaId: '1', containerId: 'c' } });
      const keeping = open({ schema: schemaForTest() });
      const compacting = open({ schema: schemaForTest(), compactFinished: true });
      for (const store of [keeping, compacting]) {
        const { post } = await store.posts.create(newPost('edited'));
        await store.posts.put(finish(post), 1);
        await store.posts.create(due('worked'));
        const claim = await claimOne(store, 'w', 10_000);
        await store.queue.finish(claim, { status: 'published', state: 'published', result: { outcome: 'published', mediaId: '2', containerId: 'c' } });
      }
      for (const id of ['edited', 'worked']) {
        expect((await keeping.posts.get(id))?.snapshot).toEqual(newPost(id).snapshot);
        const compacted = await compacting.posts.get(id);
        expect(compacted).toMatchObject({ status: 'published' });
        expect(compacted?.snapshot).toBeUndefined();
      }
    });
  });
});
