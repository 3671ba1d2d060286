import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/adapters/postgres/migrate.js';
import { postgresMigrations } from '../../src/adapters/postgres/migrations.js';
import { postgresStore, type PostgresStoreOptions } from '../../src/adapters/postgres/postgres-store.js';
import { MissingSchemaError } from '../../src/adapters/postgres/schema-check.js';
import { StoreError, type PostEnvelope, type Store } from '../../src/adapters/store.js';
import { storeConformance } from './conformance.js';
import { newPost } from './fixtures/new-post.js';
import { adminPool, assertPostgresReachable, closeAdminPool, corruptRow, dropSchema, freshSchema, PG_URL, tempPostgresStore } from './fixtures/postgres-schema.js';

// Not reachable: the whole file fails, saying how to start PostgreSQL (never a silent skip).
await assertPostgresReachable();
afterAll(closeAdminPool);

storeConformance('postgres', () => tempPostgresStore());

const due = (postId: string, overrides: Partial<PostEnvelope> = {}) => newPost(postId, { key: undefined, wakeAt: undefined, lease: undefined, ...overrides });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` holds, polling every 10 ms; rejects after `ms`. */
async function eventually(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
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
  const q = (text: string, values: unknown[] = []) => adminPool().query(text, values);

  describe('migrations', () => {
    it('run on first use, once, and are recorded in schema_migrations', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      expect((await q('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount).toBe(0);
      await store.get('p1');
      const { rows } = await q(`SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`);
      expect(rows).toEqual(postgresMigrations(schema).map(({ version, name }) => ({ version, name })));
      const tables = await q('SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename', [schema]);
      expect(tables.rows.map((r: { tablename: string }) => r.tablename)).toEqual(['posts', 'publishes', 'schema_migrations']);
      const indexes = await q('SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1', [schema]);
      const defs = Object.fromEntries(indexes.rows.map((r: { indexname: string; indexdef: string }) => [r.indexname, r.indexdef]));
      expect(defs.posts_due).toMatch(/\(COALESCE\(wake_at, \(?0\)?(::bigint)?\), created_at, post_id\) WHERE \(status = 'active'::text\)/);
      expect(defs.posts_idempotency_key_key).toMatch(/UNIQUE .*\(idempotency_key\)/);
      expect(defs.publishes_account_at).toMatch(/\(account, at\)/);
    });

    it('a second store on the same schema finds them applied and does not run them again', async () => {
      const schema = schemaForTest();
      const first = open({ schema });
      await first.create(newPost('p1'));
      const before = (await q(`SELECT version, applied_at FROM "${schema}".schema_migrations ORDER BY version`)).rows;
      const second = open({ schema });
      expect((await second.listAll()).posts.map((p) => p.postId)).toEqual(['p1']);
      expect((await q(`SELECT version, applied_at FROM "${schema}".schema_migrations ORDER BY version`)).rows).toEqual(before);
      expect(await migrate(adminPool(), schema)).toEqual([]);
    });

    it('8 stores starting at once on a fresh schema all work, and apply each migration once', async () => {
      const schema = schemaForTest();
      const stores = Array.from({ length: 8 }, () => open({ schema }));
      const results = await Promise.all(stores.map((store, i) => store.create(newPost(`p${i}`, { key: 'same-key' }))));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      await Promise.all(stores.map((store, i) => store.create(newPost(`q${i}`))));
      expect((await stores[0]?.listAll())?.posts).toHaveLength(9);
      const { rows } = await q(`SELECT version, count(*)::int AS n FROM "${schema}".schema_migrations GROUP BY version ORDER BY version`);
      expect(rows).toEqual(postgresMigrations(schema).map(({ version }) => ({ version, n: 1 })));
    });

    it('a schema migrated by a newer igflow is refused with a clear StoreError', async () => {
      const schema = schemaForTest();
      await open({ schema }).get('p1');
      await q(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES (99, 'from the future')`);
      const error = await open({ schema }).get('p1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ kind: 'io', message: expect.stringMatching(/version 99 by a newer igflow/) as unknown });
    });
  });

  describe('create: false', () => {
    const schemaExists = async (schema: string) => (await q('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1;

    it('a missing schema fails every operation with MissingSchemaError, and nothing is created', async () => {
      const schema = schemaForTest();
      const store = open({ schema, create: false });
      for (const operation of [() => store.listAll(), () => store.get('p1'), () => store.create(newPost('p1'))]) {
        const error = await operation().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MissingSchemaError);
        expect(error).toMatchObject({ kind: 'io', schema, message: `schema "${schema}" does not exist (the store was opened without creating anything)` });
      }
      expect(await schemaExists(schema)).toBe(false);
    });

    it('a schema without igflow tables is refused and left empty', async () => {
      const schema = schemaForTest();
      await q(`CREATE SCHEMA "${schema}"`);
      const error = await open({ schema, create: false }).listAll().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).not.toBeInstanceOf(MissingSchemaError);
      expect(error).toMatchObject({ kind: 'io', message: expect.stringMatching(/holds no igflow store/) as unknown });
      expect((await q('SELECT 1 FROM pg_tables WHERE schemaname = $1', [schema])).rowCount).toBe(0);
    });

    it('a schema lacking a migration is refused, not migrated', async () => {
      const schema = schemaForTest();
      await migrate(adminPool(), schema, []); // the schema and its schema_migrations table, no migration applied
      const error = await open({ schema, create: false }).listAll().catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'io', message: expect.stringMatching(/lacks migrations? 1\b.* of this igflow/) as unknown });
      expect((await q(`SELECT count(*)::int AS n FROM "${schema}".schema_migrations`)).rows).toEqual([{ n: 0 }]);
    });

    it('a migrated schema is read and written as usual, and a schema found missing is looked for again', async () => {
      const schema = schemaForTest();
      const looker = open({ schema, create: false });
      await expect(looker.listAll()).rejects.toBeInstanceOf(MissingSchemaError);
      await open({ schema }).create(newPost('p1'));
      expect((await looker.listAll()).posts.map((p) => p.postId)).toEqual(['p1']);
      expect((await looker.create(newPost('p2'))).created).toBe(true);
    });
  });

  describe('claiming across processes', () => {
    it('4 stores with their own pools claiming at once over 200 due posts give each post to exactly one', async () => {
      const schema = schemaForTest();
      const seeder = open({ schema });
      for (let i = 0; i < 200; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => seeder.create(due(`p${String(i + j).padStart(3, '0')}`, { createdAt: 1_000 + i + j }))));
      const workers = ['w1', 'w2', 'w3', 'w4'].map((name) => ({ name, store: open({ schema }), got: new Map<string, string>() }));
      await Promise.all(
        workers.map(async (w) => {
          // a new owner name each round: a claimer's own leases are claimable again (renewal), someone else's are not
          for (let round = 0; ; round++) {
            const owner = `${w.name}#${round}`;
            const claimed = await w.store.claimDue({ owner, now: 10_000, until: 70_000, limit: 7 });
            if (claimed.length === 0) return;
            for (const post of claimed) w.got.set(post.postId, owner);
          }
        }),
      );
      const all = workers.flatMap((w) => [...w.got.keys()]);
      expect(all).toHaveLength(200);
      expect(new Set(all).size).toBe(200);
      expect(workers.filter((w) => w.got.size > 0).length).toBeGreaterThan(1);
      const owners = new Map((await seeder.listAll()).posts.map((p) => [p.postId, p.lease?.owner]));
      for (const w of workers) for (const [postId, owner] of w.got) expect(owners.get(postId)).toBe(owner);
    });

    it('claimDue takes a live lease over only when takeOver allows, asking once per lease', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      await store.create(due('dead1', { lease: { owner: 'host/1', until: 50_000 }, createdAt: 1 }));
      await store.create(due('dead2', { lease: { owner: 'host/1', until: 50_000 }, createdAt: 2 }));
      await store.create(due('alive', { lease: { owner: 'host/2', until: 50_000 }, createdAt: 3 }));
      await store.create(due('free', { createdAt: 4 }));
      const asked: string[] = [];
      const claimed = await store.claimDue({ owner: 'me', now: 10_000, until: 70_000, limit: 10, takeOver: (held) => (asked.push(held.owner), held.owner === 'host/1') });
      expect(claimed.map((p) => p.postId)).toEqual(['dead1', 'dead2', 'free']);
      expect(asked).toEqual(['host/1', 'host/2']);
      expect((await store.get('alive'))?.lease?.owner).toBe('host/2');
    });

    it('claimDue passes over rows it cannot read and still fills the limit; nextDueAt ignores unknown-version rows', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      for (const [i, id] of ['torn', 'future', 'a', 'b'].entries()) await store.create(due(id, { createdAt: i }));
      await corruptRow(schema, 'torn', '{"v":1,"po');
      await corruptRow(schema, 'future', JSON.stringify({ v: 2 }));
      expect((await store.claimDue({ owner: 'w', now: 10_000, until: 70_000, limit: 2 })).map((p) => p.postId)).toEqual(['a', 'b']);
      await q(`DELETE FROM "${schema}".posts WHERE post_id = 'torn'`);
      expect(await store.nextDueAt(10_000)).toBe(70_000);
    });
  });

  describe('watch (LISTEN/NOTIFY)', () => {
    it("fires within a second when another store creates a post", async () => {
      const schema = schemaForTest();
      const [watcher, writer] = [open({ schema }), open({ schema })];
      let calls = 0;
      const unwatch = await watcher.watch?.(() => calls++);
      const started = Date.now();
      await writer.create(newPost('p1'));
      await eventually(() => calls > 0, 1_000, 'a notification');
      expect(Date.now() - started).toBeLessThan(1_000);
      await unwatch?.();
    });

    it('fires on release and on a put that parks a post, not on a put that keeps its lease, nor after unsubscribing', async () => {
      const schema = schemaForTest();
      const [watcher, writer] = [open({ schema }), open({ schema })];
      let calls = 0;
      const unwatch = await watcher.watch?.(() => calls++);
      const { post } = await writer.create(newPost('p1', { wakeAt: undefined }));
      await eventually(() => calls === 1, 1_000, 'the create notification');
      const leased = await writer.lease('p1', { owner: 'w', now: 0, until: 60_000 });
      if (!leased) throw new Error('not leased');
      const working = await writer.put({ ...leased, state: 'publishing' }, leased.version);
      await writer.release('p1', 'w');
      await eventually(() => calls === 2, 1_000, 'the release notification');
      await writer.put({ ...post, wakeAt: 90_000 }, working.version + 1);
      await eventually(() => calls === 3, 1_000, 'the parking notification');
      await sleep(100);
      expect(calls).toBe(3);
      await unwatch?.();
      await writer.create(newPost('p2'));
      await sleep(200);
      expect(calls).toBe(3);
    });

    it('wakes its subscribers when the listening connection is lost, and listens again', async () => {
      const schema = schemaForTest();
      const [watcher, writer] = [open({ schema }), open({ schema })];
      let calls = 0;
      const unwatch = await watcher.watch?.(() => calls++);
      const listeners = async (): Promise<number[]> => (await q('SELECT pid FROM pg_stat_activity WHERE query = $1', [`LISTEN "${schema}_posts"`])).rows.map((r: { pid: number }) => r.pid);
      const [pid] = await listeners();
      await q('SELECT pg_terminate_backend($1)', [pid]);
      await eventually(() => calls >= 1, 1_000, 'the wake-up for the lost connection');
      await eventually(async () => (await listeners()).some((p) => p !== pid), 2_000, 'a new listening connection');
      await sleep(50);
      const before = calls;
      await writer.create(newPost('p1'));
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
      await store.create(newPost('p1'));
      const unwatch = await store.watch?.(() => undefined);
      await unwatch?.();
      await store.close();
      expect(pool.ended).toBe(false);
      expect((await pool.query('SELECT count(*)::int AS n FROM "' + schema + '".posts')).rows).toEqual([{ n: 1 }]);
      await expect(store.get('p1')).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/closed/) as unknown });
    });

    it('close() ends the pool it made; calls after it fail with a StoreError', async () => {
      const store = open({ schema: schemaForTest() });
      await store.create(newPost('p1'));
      await store.close();
      await expect(store.get('p1')).rejects.toBeInstanceOf(StoreError);
      await expect(store.close()).resolves.toBeUndefined();
    });
  });

  describe('errors and options', () => {
    it('an unreachable server is a StoreError of kind io that never shows the password', async () => {
      const store = postgresStore({ connectionString: 'postgres://igflow:s3cret-pw@127.0.0.1:1/test', schema: 'x' });
      undo.push(() => store.close());
      const error = await store.get('p1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ kind: 'io', postId: 'p1' });
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
      expect((error as Error).message).not.toContain('s3cret-pw');
      const watchError = await store.watch?.(() => undefined).catch((e: unknown) => e);
      expect(watchError).toMatchObject({ kind: 'io' });
    });

    it('refuses contradictory options and names PostgreSQL would truncate', () => {
      const pool = new pg.Pool({ connectionString: PG_URL });
      expect(() => postgresStore({ pool, connectionString: PG_URL })).toThrow(TypeError);
      expect(() => postgresStore({ pool, schema: '' })).toThrow(RangeError);
      expect(() => postgresStore({ pool, schema: 'x'.repeat(64) })).toThrow(RangeError);
      expect(() => postgresStore({ pool, schema: 'x'.repeat(60) })).toThrow(/notifyChannel/);
      return pool.end();
    });

    it('works in a schema whose name needs quoting', async () => {
      const schema = `${schemaForTest()}-Odd "Name"`;
      undo.push(() => dropSchema(schema));
      const store = open({ schema });
      await store.create(newPost('p1'));
      expect((await store.claimDue({ owner: 'w', now: 10_000, until: 20_000, limit: 5 })).map((p) => p.postId)).toEqual(['p1']);
    });
  });

  describe('storage', () => {
    it('keeps the envelope fields in their columns, the snapshot as jsonb, and timestamps as bigint', async () => {
      const schema = schemaForTest();
      const store = open({ schema });
      await store.create(newPost('p1', { key: 'k1', lease: { owner: 'w1', until: 9_000 } }));
      const { rows } = await q(`SELECT *, jsonb_typeof(snapshot) AS snapshot_type FROM "${schema}".posts`);
      expect(rows).toEqual([
        expect.objectContaining({
          post_id: 'p1',
          idempotency_key: 'k1',
          status: 'active',
          snapshot_type: 'object',
          wake_at: '5000',
          lease_owner: 'w1',
          lease_until: '9000',
          version: 1,
          created_at: '1000',
          result: null,
          envelope_version: 1,
        }),
      ]);
    });

    it('round-trips snapshots that are arrays or JSON null', async () => {
      const store = open({ schema: schemaForTest() });
      await store.create(newPost('array', { snapshot: [1, { a: [2] }] }));
      await store.create(newPost('null', { snapshot: null }));
      expect((await store.get('array'))?.snapshot).toEqual([1, { a: [2] }]);
      expect(await store.get('null')).toHaveProperty('snapshot', null);
    });

    it('rounds fractional timestamps up: never due early, never a lease ending early', async () => {
      const store = open({ schema: schemaForTest() });
      await store.create(newPost('p1', { wakeAt: 1_500.25 }));
      expect((await store.get('p1'))?.wakeAt).toBe(1_501);
      expect(await store.claimDue({ owner: 'w', now: 1_500.5, until: 2_000.5, limit: 1 })).toEqual([]);
      expect(await store.nextDueAt(1_500.5)).toBe(1_501);
      const [claimed] = await store.claimDue({ owner: 'w', now: 1_501, until: 2_000.5, limit: 1 });
      expect(claimed?.lease).toEqual({ owner: 'w', until: 2_001 });
    });

    it('keeps the snapshot of finished posts, unless compactFinished', async () => {
      const finish = (post: PostEnvelope): PostEnvelope => ({ ...post, status: 'published', state: 'published', result: { outcome: 'published', mediaId: '1' } });
      const keeping = open({ schema: schemaForTest() });
      const compacting = open({ schema: schemaForTest(), compactFinished: true });
      for (const store of [keeping, compacting]) {
        const { post } = await store.create(newPost('p1'));
        await store.put(finish(post), 1);
      }
      expect((await keeping.get('p1'))?.snapshot).toEqual(newPost('p1').snapshot);
      expect((await compacting.get('p1'))?.snapshot).toBeUndefined();
    });
  });
});
