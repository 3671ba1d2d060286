import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/adapters/file-store.js';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Store } from '../../src/adapters/store.js';
import type { Engine } from '../../src/engine/engine.js';
import { DEFAULT_ACCOUNT, startSimulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { PRUNE_EVERY_MS, WebhookDeliverer } from '../../src/webhooks/webhook-deliverer.js';
import { WebhookOptions } from '../../src/webhooks/webhook-options.js';
import { heldDispatcher } from '../support/held.js';
import { interceptedStore } from '../support/intercepted-store.js';
import { virtualEngine } from '../support/virtual-engine.js';
import { startReceiver, type Received } from '../support/webhook-receiver.js';
import { tempDir } from '../adapters/fixtures/temp-store.js';
import { adminPool, assertPostgresReachable, closeAdminPool, tempPostgresStore } from '../adapters/fixtures/postgres-schema.js';

const SECRET = 'whsec-0123456789abcdef-test';
const RETENTION_MS = 3_600_000;

await assertPostgresReachable();

/** A store, and how many outbox entries it holds now (file: markers in `outbox/`; PostgreSQL: rows). */
interface Counted {
  readonly store: Store;
  readonly entries: () => Promise<number>;
  /** Whatever else the store keeps per entry and would leave behind (file: `.delivery` and `.done` files). */
  readonly leftovers?: () => readonly string[];
}

describe('outbox pruning: an engine with a webhook removes delivered outcomes after the retention, never undelivered ones', () => {
  const undo: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of undo.splice(0).reverse()) await step();
  });

  const stores: Record<string, () => Promise<Counted>> = {
    file: async () => {
      const dir = await tempDir();
      const names = () => readdirSync(join(dir, 'outbox')).filter((name) => !name.startsWith('.'));
      return { store: fileStore(dir), entries: () => Promise.resolve(names().filter((name) => name.endsWith('.json')).length), leftovers: names };
    },
    postgres: async () => {
      const subject = await tempPostgresStore();
      undo.push(async () => {
        await subject.cleanup?.();
        await closeAdminPool();
      });
      return { store: subject.store, entries: async () => Number((await adminPool().query<{ n: string }>(`SELECT count(*) AS n FROM "${subject.schema}".outbox`)).rows[0]!.n) };
    },
  };

  for (const [name, makeStore] of Object.entries(stores)) {
    it(`${name} store: 6 delivered outcomes go after the retention, 2 the receiver refuses stay until it takes them`, async () => {
      const clock = new VirtualClock();
      const sim = await startSimulator({ clock, scenario: { processing: { imageMs: [1_000, 1_000], videoMs: [1_000, 1_000] } } });
      let answer: Received['answer'] = 'ok';
      const receiver = await startReceiver(() => answer);
      const { store, entries, leftovers } = await makeStore();
      const dispatcher = heldDispatcher(clock);
      const engine: Engine = virtualEngine({
        store,
        clock,
        graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url },
        webhook: { url: receiver.url, secret: SECRET, timeoutMs: 500, firstRetryMs: 1_000, maxRetryMs: 60_000, idleMs: 60_000, retentionMs: RETENTION_MS, dispatcher },
      });
      undo.push(async () => {
        await engine.shutdown();
        await store.close();
        await dispatcher.close();
        await receiver.close();
        await sim.close();
      });
      const wait = (ms: number) => clock.run(new Promise<void>((resolve) => clock.schedule(() => resolve(), ms)));
      const until = (check: () => boolean) =>
        clock.run(
          new Promise<void>((resolve) => {
            const look = () => (check() ? resolve() : setTimeout(look, 5));
            look();
          }),
        );
      const publish = async (keys: readonly string[]) => {
        const handles = await Promise.all(keys.map((id) => engine.publish({ kind: 'image', id, imageUrl: `https://cdn.example/${id}.jpg` })));
        await clock.run(Promise.all(handles.map((h) => h.result)));
      };

      await publish(['a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
      await until(() => receiver.delivered().length >= 6);
      answer = '500';
      await publish(['b1', 'b2']);
      await until(() => receiver.received.filter((r) => r.answer === '500').length >= 2);
      const before = await entries();

      await wait(RETENTION_MS + PRUNE_EVERY_MS + 120_000);
      const afterRetention = await entries();
      expect(receiver.received.filter((r) => r.answer === '500').length).toBeGreaterThan(10); // still tried all along

      answer = 'ok';
      await until(() => receiver.delivered().length >= 8);
      await wait(RETENTION_MS + PRUNE_EVERY_MS + 120_000);
      const afterAll = await entries();

      console.log(`outbox pruning (${name}): ${before} entries before, ${afterRetention} after the retention (the undelivered ones), ${afterAll} once those were delivered and aged`);
      expect([before, afterRetention, afterAll]).toEqual([8, 2, 0]);
      expect(leftovers?.() ?? []).toEqual([]);
      const keys = receiver.delivered().map((r) => (JSON.parse(r.body) as { idempotencyKey: string }).idempotencyKey);
      expect([...keys].sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'b1', 'b2']);
    }, 60_000);
  }
});

describe('outbox pruning: when the webhook deliverer prunes', () => {
  it('after its first pump, then at most once an hour of the engine clock, with the retention before now; a failed prune is one problem, and the next comes an hour later', async () => {
    const clock = new VirtualClock();
    const calls: { at: number; before: number }[] = [];
    const store = interceptedStore(memoryStore(), (op, proceed, args) => {
      if (op !== 'outbox.prune') return proceed();
      calls.push({ at: clock.now(), before: (args[0] as { before: number }).before });
      return calls.length === 2 ? Promise.reject(new Error('the store is away')) : proceed();
    });
    const problems: string[] = [];
    const deliverer = new WebhookDeliverer({
      outbox: store.outbox,
      sender: { send: () => Promise.resolve({ ok: true, status: 200 } as const), close: () => Promise.resolve() },
      clock,
      owner: 'd1',
      settings: WebhookOptions.parse({ url: 'http://127.0.0.1:9/hook', secret: SECRET, idleMs: 60_000, retentionMs: RETENTION_MS }),
      pollMs: 250,
      problem: (_postId, message) => problems.push(message),
    });
    const start = clock.now();
    deliverer.start();
    await clock.run(new Promise<void>((resolve) => clock.schedule(() => resolve(), 3 * PRUNE_EVERY_MS + 30 * 60_000)));
    await deliverer.stop();
    expect(calls.map((c) => c.at - start)).toEqual([0, 1, 2, 3].map((hours) => hours * PRUNE_EVERY_MS));
    expect(calls.every((c) => c.before === c.at - RETENTION_MS)).toBe(true);
    expect(problems).toEqual([expect.stringMatching(/cannot prune the store's outbox \(tried again in 60 min\): the store is away/)]);
  });
});
