import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postgresStore } from '../../src/adapters/postgres/postgres-store.js';
import { inTransaction } from '../../src/adapters/postgres/transaction.js';
import { StoreError } from '../../src/adapters/store-errors.js';
import type { Store } from '../../src/adapters/store.js';
import { assertPostgresBinaries, createPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { newPost } from './fixtures/new-post.js';

/**
 * The PostgreSQL store while its server restarts, on a private server
 * (the shared one serves other test files meanwhile). An 'error' event
 * nobody listens to would crash the process, and vitest fails the run on it.
 */
// No PostgreSQL binaries: the whole file fails, saying what to install (never a silent skip).
await assertPostgresBinaries();

const PASSWORD = 'restart-s3cret';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

describe('postgres store across a server restart', () => {
  let server: PrivatePostgres;
  const undo: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    server = await createPrivatePostgres({ password: PASSWORD });
  }, 60_000);
  afterEach(async () => {
    await server.start();
    for (const step of undo.splice(0).reverse()) await step();
  });
  afterAll(async () => {
    await server?.destroy();
  });
  let schemas = 0;
  const nextSchema = (): string => `restart_${++schemas}`;
  /** A store (on its own schema unless told), closed after the test. */
  const open = (pool?: pg.Pool, schema = nextSchema()): Store => {
    const store = postgresStore(pool ? { pool, schema } : { connectionString: server.url, schema });
    undo.push(() => store.close());
    return store;
  };
  const newPool = (): pg.Pool => {
    const pool = new pg.Pool({ connectionString: server.url, max: 3 });
    undo.push(() => pool.end());
    return pool;
  };

  it('a transaction whose server goes away rejects, and its connection is discarded, not given back to the pool', async () => {
    const pool = newPool();
    pool.on('error', () => undefined); // this test is about the checked-out connection only
    const released: unknown[] = [];
    pool.on('release', (error: unknown) => released.push(error));
    const sleeping = inTransaction(pool, (client) => client.query('SELECT pg_sleep(30)'));
    const outcome = sleeping.then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const admin = new pg.Client({ connectionString: server.url });
    admin.on('error', () => undefined);
    await admin.connect();
    undo.push(() => admin.end().catch(() => undefined));
    await eventually(async () => (await admin.query("SELECT 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)'")).rows.length === 1, 5_000, 'the sleeping query');
    await server.stop();
    expect(await outcome).toMatch(/terminating connection|Connection terminated/);
    expect(released).toHaveLength(1);
    expect(released[0]).toBeInstanceOf(Error); // released as broken: the pool discards it
    expect(pool.totalCount).toBe(0);
    await server.start();
    await expect(inTransaction(pool, async (client) => (await client.query<{ n: number }>('SELECT 1 AS n')).rows)).resolves.toEqual([{ n: 1 }]);
  });

  it("listens to the pool's 'error' for idle connections on a pool the caller gave, once, and keeps the caller's own listeners", async () => {
    const bare = newPool(); // no listener of its own: an idle connection's error would crash the process
    const [first, second] = [open(bare), open(bare)];
    await first.posts.create(newPost('p1'));
    await second.posts.create(newPost('p1'));
    expect(bare.listeners('error')).toHaveLength(1);
    expect(bare.idleCount).toBeGreaterThan(0);
    const theirs = newPool();
    let theirErrors = 0;
    theirs.on('error', () => (theirErrors += 1));
    await open(theirs).posts.create(newPost('p1'));
    await server.stop();
    await eventually(() => bare.idleCount === 0 && theirs.idleCount === 0, 5_000, 'the pools to drop their dead idle connections');
    expect(theirErrors).toBeGreaterThan(0);
    expect(theirs.listeners('error')).toHaveLength(2);
    await server.start();
    await expect(first.posts.get('p1')).resolves.toMatchObject({ postId: 'p1' });
  });

  it('while the server is down every operation is a StoreError of kind io without the password; after it, the store and its watch work again', async () => {
    const schema = nextSchema();
    const store = open(undefined, schema);
    const now = 10_000;
    await store.posts.create(newPost('p1', { wakeAt: undefined }));
    const { post: edited } = await store.posts.create(newPost('p2'));
    const [claim] = await store.queue.claim({ owner: 'w', now, until: now + 60_000, limit: 1 });
    if (!claim) throw new Error('nothing claimed');
    let wakes = 0;
    const unwatch = await store.queue.watch?.(() => (wakes += 1));
    undo.push(async () => unwatch?.());
    await server.stop();
    await eventually(() => wakes >= 1, 5_000, 'the wake-up for the lost listening connection');
    const during: Promise<unknown>[] = [
      store.posts.get('p1'),
      store.posts.findByKey('k'),
      store.posts.create(newPost('p3')),
      store.posts.put(edited, 1),
      store.posts.list({ status: 'unfinished' }),
      store.posts.list(),
      store.queue.claim({ owner: 'w2', now, until: now + 1_000, limit: 5 }),
      store.queue.claim({ owner: 'w2', now, until: now + 1_000, limit: 5, postIds: ['p2'], takeOver: () => true }),
      store.queue.renew('w', [{ postId: 'p1', token: claim.lease.token }], now + 90_000),
      store.queue.save(claim, { state: 'publishing' }),
      store.queue.park(claim, { wakeAt: now + 5_000 }),
      store.queue.finish(claim, { status: 'published', result: { outcome: 'published', mediaId: '1', containerId: 'c' } }),
      store.queue.release(claim),
      store.queue.release(claim, { state: 'polling' }),
      store.queue.nextDueAt(now),
      store.ledger.recordPublish({ account: 'a', postId: 'p1', at: now }),
      store.ledger.publishesSince('a', 0),
      store.queue.watch?.(() => undefined) ?? Promise.reject(new Error('no watch')),
    ];
    for (const failure of await Promise.all(during.map((op) => op.then(() => undefined, (error: unknown) => error)))) {
      expect(failure).toBeInstanceOf(StoreError);
      expect(failure).toMatchObject({ kind: 'io' });
      expect((failure as Error).message).not.toContain(PASSWORD);
    }
    const woken = wakes;
    await server.start();
    await eventually(() => wakes > woken, 10_000, 'the wake-up once the listening connection is back');
    // the claim made before the outage still holds: nothing was written while the server was down
    const saved = await store.queue.save(claim, { state: 'publishing' });
    expect(saved.post).toMatchObject({ postId: 'p1', version: 2, state: 'publishing' });
    const before = wakes;
    await open(undefined, schema).posts.create(newPost('p4'));
    await eventually(() => wakes > before, 5_000, 'a notification on the new listening connection');
  });
});
