import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/adapters/file-store.js';
import { postgresStore } from '../../src/adapters/postgres/postgres-store.js';
import type { Store } from '../../src/adapters/store.js';
import { createEngine } from '../../src/engine/engine.js';
import { PostOutcomeEvent } from '../../src/outcomes/outcome-event.js';
import { judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator } from '../../src/sim/simulator.js';
import { WEBHOOK_HEADERS, verifyWebhook } from '../../src/webhooks/webhook-signature.js';
import { adminPool, assertPostgresReachable, closeAdminPool, PG_URL } from '../adapters/fixtures/postgres-schema.js';
import { tempDir } from '../adapters/fixtures/temp-store.js';
import { spawnCli } from '../cli/cli-harness.js';
import { startReceiver, type Received } from '../support/webhook-receiver.js';

/**
 * Outcomes heard by the process that enqueued, from `igflow work`
 * children (real processes, real time: the children run on the system
 * clock), and webhooks from workers SIGKILLed at random.
 */
const env = { IG_ACCESS_TOKEN: DEFAULT_ACCOUNT.token, IG_USER_ID: DEFAULT_ACCOUNT.igUserId };
const SECRET = 'whsec-across-processes-0123456789';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FAIL_REELS = [{ endpoint: 'create', kind: 'video', fault: { type: 'containerError', subcode: 2207026 }, times: Infinity }] as const;

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(25);
  }
}
const header = (r: Received, name: string): string | undefined => {
  const value = r.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

await assertPostgresReachable();

describe('outcomes across processes', () => {
  const schemas: string[] = [];
  const undo: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of undo.splice(0).reverse()) await step();
  });
  afterAll(async () => {
    for (const schema of schemas) await adminPool().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await closeAdminPool();
  });

  const backends: Record<string, () => Promise<{ store: Store; location: string }>> = {
    file: async () => {
      const dir = await tempDir();
      undo.push(() => rm(dir, { recursive: true, force: true }));
      return { store: fileStore(dir), location: dir };
    },
    postgres: () => {
      const schema = `igflow_outcomes_${randomBytes(4).toString('hex')}`;
      schemas.push(schema);
      return Promise.resolve({ store: postgresStore({ connectionString: PG_URL, schema }), location: `${PG_URL}?schema=${schema}` });
    },
  };

  for (const [name, backend] of Object.entries(backends)) {
    it(`${name} store: posts enqueued here and finished by an igflow work child reach outcomes$ and watch() here`, async () => {
      const sim = await startSimulator({ scenario: { processing: { imageMs: [30, 30], videoMs: [30, 30] }, faults: [...FAIL_REELS] } });
      const { store, location } = await backend();
      const engine = createEngine({ store, graph: { ...{ accessToken: env.IG_ACCESS_TOKEN, igUserId: env.IG_USER_ID }, baseUrl: sim.url }, mediaChecks: false, outcomePollMs: 20 });
      undo.push(async () => {
        await engine.shutdown();
        await store.close();
        await sim.close();
      });
      const told: PostOutcomeEvent[] = [];
      const subscription = engine.outcomes$.subscribe((event) => told.push(event));
      undo.push(() => Promise.resolve(subscription.unsubscribe()));
      await pause(100); // the follow is under way (LISTEN, or the first look at the outbox)
      const keys = Array.from({ length: 10 }, (_, i) => `far-${i}`);
      const postIds = new Map<string, string>();
      for (const [i, id] of keys.entries()) postIds.set(id, await engine.enqueue(i === 9 ? { kind: 'reel', id, videoUrl: `https://cdn.example/far/${i}.mp4` } : { kind: 'image', id, imageUrl: `https://cdn.example/far/${i}.jpg` }));
      const watched = new Promise<PostOutcomeEvent[]>((resolve, reject) => {
        const seen: PostOutcomeEvent[] = [];
        engine.watch('far-3').subscribe({ next: (e) => seen.push(e), complete: () => resolve(seen), error: reject });
      });
      const worker = spawnCli(['work', '--store', location, '--graph-url', sim.url, '--poll-interval', '10', '--json'], env);
      undo.push(async () => {
        if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
        await worker.done;
      });
      await until(() => told.length >= 10, 60_000, 'ten outcomes').catch((error: unknown) => {
        throw new Error(`${String(error)}: told ${told.length}; the worker said ${worker.errors().slice(-1000)}`);
      });
      // a post finished before watch() is called is told as well
      const after = await new Promise<PostOutcomeEvent[]>((resolve, reject) => {
        const seen: PostOutcomeEvent[] = [];
        engine.watch('far-5').subscribe({ next: (e) => seen.push(e), complete: () => resolve(seen), error: reject });
      });
      worker.child.kill('SIGTERM');
      expect((await worker.done).code).toBe(75);

      expect(told.map((e) => e.idempotencyKey).sort()).toEqual([...keys].sort());
      expect(new Set(told.map((e) => e.postId))).toEqual(new Set(postIds.values()));
      const mediaIds = sim.record.publishes.map((p) => p.mediaId).sort();
      expect(told.filter((e) => e.type === 'published').map((e) => (e.type === 'published' ? e.mediaId : '')).sort()).toEqual(mediaIds);
      expect(told.find((e) => e.idempotencyKey === 'far-9')).toMatchObject({ type: 'failed', error: { subcode: 2207026, retryable: false } });
      expect(sim.record.publishes).toHaveLength(9);
      expect(judge(sim.record)).toEqual([]);
      expect(await watched).toEqual([told.find((e) => e.idempotencyKey === 'far-3')]);
      expect(after).toEqual([told.find((e) => e.idempotencyKey === 'far-5')].map((e) => ({ ...e, outcomeId: expect.any(String) as unknown })));
      expect(JSON.stringify(told)).not.toContain(DEFAULT_ACCOUNT.token);
    }, 90_000);
  }

  it('postgres: 3 igflow work --webhook workers, SIGKILLed and restarted at random, deliver all 60 outcomes at least once to a flaky receiver', async () => {
    const sim = await startSimulator({ scenario: { processing: { imageMs: [100, 300] }, quotaTotal: 100_000 } });
    const receiver = await startReceiver(undefined, 2_000);
    const { store, location } = await backends.postgres!();
    const producer = createEngine({ store, graph: { accessToken: env.IG_ACCESS_TOKEN, igUserId: env.IG_USER_ID, baseUrl: sim.url }, mediaChecks: false });
    undo.push(async () => {
      await producer.shutdown();
      await store.close();
      await receiver.close();
      await sim.close();
    });
    const keys = Array.from({ length: 60 }, (_, i) => `kill-${i}`);
    for (const id of keys) await producer.enqueue({ kind: 'image', id, imageUrl: `https://cdn.example/kill/${id}.jpg` });
    const argv = ['work', '--store', location, '--graph-url', sim.url, '--poll-interval', '10', '--json', '--concurrency', '8', '--webhook', receiver.url, '--webhook-retry', '50', '--webhook-timeout', '300', '--lease', '2000'];
    const workerEnv = { ...env, IGFLOW_WEBHOOK_SECRET: SECRET };
    const spawned: ReturnType<typeof spawnCli>[] = [];
    const spawnWorker = () => {
      const worker = spawnCli(argv, workerEnv);
      spawned.push(worker);
      return worker;
    };
    const workers = [0, 1, 2].map(spawnWorker);
    undo.push(async () => {
      for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      await Promise.all(spawned.map((w) => w.done));
    });
    const deliveredKeys = () => new Set(receiver.delivered().map((r) => (JSON.parse(r.body) as { idempotencyKey: string }).idempotencyKey));
    const started = Date.now();
    let kills = 0;
    const chaos = (async () => {
      while (deliveredKeys().size < keys.length && Date.now() - started < 60_000) {
        await pause(400 + Math.floor(Math.random() * 400));
        if (deliveredKeys().size >= keys.length) break;
        const i = Math.floor(Math.random() * workers.length);
        workers[i]!.child.kill('SIGKILL');
        await workers[i]!.done;
        kills += 1;
        workers[i] = spawnWorker();
      }
    })();
    await until(() => deliveredKeys().size >= keys.length, 90_000, 'every outcome delivered').catch((error: unknown) => {
      throw new Error(`${String(error)}: ${deliveredKeys().size} delivered of ${keys.length}, ${sim.record.publishes.length} published`);
    });
    await chaos;
    await pause(500);
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.done));

    expect([...deliveredKeys()].sort()).toEqual([...keys].sort());
    expect(kills).toBeGreaterThan(0);
    expect(new Set(receiver.received.map((r) => r.answer))).toEqual(new Set(['ok', '500', 'drop', 'slow']));
    for (const r of receiver.received) {
      const signed = { body: r.body, signature: header(r, WEBHOOK_HEADERS.signature), timestamp: header(r, WEBHOOK_HEADERS.timestamp) };
      expect(verifyWebhook({ secret: SECRET, ...signed })).toBe(true);
      expect(verifyWebhook({ secret: 'whsec-not-the-one-0123456789', ...signed })).toBe(false);
      expect(`${r.body}${JSON.stringify(r.headers)}`).not.toContain(DEFAULT_ACCOUNT.token);
      expect(`${r.body}${JSON.stringify(r.headers)}`).not.toContain(SECRET);
      const event = PostOutcomeEvent.parse(JSON.parse(r.body));
      expect(event).toMatchObject({ type: 'published', idempotencyKey: expect.stringMatching(/^kill-/) as unknown });
    }
    for (const worker of spawned) {
      expect(`${worker.output()}${worker.errors()}`).not.toContain(SECRET);
      expect(`${worker.output()}${worker.errors()}`).not.toContain(DEFAULT_ACCOUNT.token);
    }
    expect(sim.record.publishes).toHaveLength(60);
    expect(judge(sim.record)).toEqual([]);
    const rows = await adminPool().query<{ n: number; undelivered: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE delivered_at IS NULL)::int AS undelivered FROM "${location.split('schema=')[1]!}".outbox`);
    expect(rows.rows[0]).toEqual({ n: 60, undelivered: 0 });
    const duplicates = receiver.delivered().length - keys.length;
    console.log(`webhooks across kills: 60 outcomes delivered by 3 workers with ${kills} SIGKILLs; ${receiver.received.length} requests, ${receiver.received.filter((r) => r.answer !== 'ok').length} failed (500, dropped, too slow), ${duplicates} delivered twice (at least once)`);
  }, 150_000);
});
