import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Store } from '../../src/adapters/store.js';
import type { Engine } from '../../src/engine/engine.js';
import { PostOutcomeEvent } from '../../src/outcomes/outcome-event.js';
import { judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { WEBHOOK_HEADERS, verifyWebhook } from '../../src/webhooks/webhook-signature.js';
import { fileStore } from '../../src/adapters/file-store.js';
import { heldDispatcher } from '../support/held.js';
import { virtualEngine } from '../support/virtual-engine.js';
import { startReceiver, type Received } from '../support/webhook-receiver.js';
import { tempDir } from '../adapters/fixtures/temp-store.js';
import { tempPostgresStore, assertPostgresReachable, closeAdminPool } from '../adapters/fixtures/postgres-schema.js';

const SECRET = 'whsec-0123456789abcdef-test';
const graphOf = (sim: Simulator) => ({ accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url });
const header = (r: Received, name: string): string | undefined => {
  const value = r.headers[name];
  return Array.isArray(value) ? value[0] : value;
};
/** Whether a received request is signed with `secret` (checked at the time it was signed: the clock is virtual). */
const verifies = (r: Received, secret: string): boolean =>
  verifyWebhook({ secret, body: r.body, signature: header(r, WEBHOOK_HEADERS.signature), timestamp: header(r, WEBHOOK_HEADERS.timestamp), now: Number(header(r, WEBHOOK_HEADERS.timestamp)) });

await assertPostgresReachable();

describe('webhooks: every outcome delivered at least once to a receiver that fails now and then', () => {
  const undo: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of undo.splice(0).reverse()) await step();
  });

  const stores: Record<string, () => Promise<Store>> = {
    memory: () => Promise.resolve(memoryStore()),
    file: async () => fileStore(await tempDir()),
    postgres: async () => {
      const subject = await tempPostgresStore();
      undo.push(async () => {
        await subject.cleanup?.();
        await closeAdminPool();
      });
      return subject.store;
    },
  };

  for (const [name, makeStore] of Object.entries(stores)) {
    it(`${name} store: 12 outcomes (images published, reels failed) all reach the receiver, signed, with their keys; retries back off`, async () => {
      const clock = new VirtualClock();
      const sim = await startSimulator({ clock, scenario: { processing: { imageMs: [2_000, 2_000], videoMs: [2_000, 2_000] }, faults: [{ endpoint: 'create', kind: 'video', fault: { type: 'containerError', subcode: 2207026 }, times: Infinity }] } });
      const receiver = await startReceiver(undefined, 2_500);
      const store = await makeStore();
      const dispatcher = heldDispatcher(clock);
      const engine: Engine = virtualEngine({
        store,
        clock,
        graph: graphOf(sim),
        webhook: { url: receiver.url, secret: SECRET, timeoutMs: 200, firstRetryMs: 1_000, maxRetryMs: 8_000, dispatcher },
      });
      undo.push(async () => {
        await engine.shutdown();
        await store.close();
        await dispatcher.close();
        await receiver.close();
        await sim.close();
      });

      const keys = Array.from({ length: 12 }, (_, i) => `hook-${i}`);
      const handles = await Promise.all(
        keys.map((id, i) => engine.publish(i % 3 === 2 ? { kind: 'reel', id, videoUrl: `https://cdn.example/${i}.mp4` } : { kind: 'image', id, imageUrl: `https://cdn.example/${i}.jpg` })),
      );
      await clock.run(Promise.allSettled(handles.map((h) => h.result)));
      const deliveredKeys = () => new Set(receiver.delivered().map((r) => (JSON.parse(r.body) as { idempotencyKey: string }).idempotencyKey));
      await clock.run(
        new Promise<void>((resolve) => {
          const check = () => (deliveredKeys().size >= keys.length ? resolve() : setTimeout(check, 5));
          check();
        }),
      );

      expect([...deliveredKeys()].sort()).toEqual([...keys].sort());
      const answers = new Set(receiver.received.map((r) => r.answer));
      expect(answers).toEqual(new Set(['ok', '500', 'drop', 'slow'])); // it did fail now and then, every way
      for (const r of receiver.received) {
        expect(verifies(r, SECRET)).toBe(true);
        // what README tells a receiver in any language: hex HMAC-SHA256 of "<timestamp>.<raw body>"
        const timestamp = header(r, WEBHOOK_HEADERS.timestamp)!;
        expect(header(r, WEBHOOK_HEADERS.signature)).toBe(`v1=${createHmac('sha256', SECRET).update(`${timestamp}.${r.body}`).digest('hex')}`);
        const signed = { secret: SECRET, body: r.body, signature: header(r, WEBHOOK_HEADERS.signature), timestamp };
        expect(verifyWebhook({ ...signed, now: Number(timestamp) + 301_000 })).toBe(false); // an old delivery replayed
        expect(verifies(r, 'whsec-the-wrong-secret-0000')).toBe(false);
        expect(verifies({ ...r, body: r.body.replace('"hook-', '"hooq-') }, SECRET)).toBe(false);
        expect(`${r.body}${JSON.stringify(r.headers)}`).not.toContain(DEFAULT_ACCOUNT.token);
        expect(`${r.body}${JSON.stringify(r.headers)}`).not.toContain(SECRET);
        const event = PostOutcomeEvent.parse(JSON.parse(r.body));
        expect(header(r, WEBHOOK_HEADERS.delivery)).toBe(event.outcomeId);
      }
      // each post's outcome, as Instagram saw it: the published ones with the media id the simulator made
      const byKey = new Map(receiver.delivered().map((r) => {
        const event = PostOutcomeEvent.parse(JSON.parse(r.body));
        return [event.idempotencyKey, event] as const;
      }));
      const mediaIds = new Set(sim.record.publishes.map((p) => p.mediaId));
      keys.forEach((key, i) => {
        const event = byKey.get(key)!;
        expect(event.postId).toBe(handles[i]!.postId);
        if (i % 3 === 2) expect(event).toMatchObject({ type: 'failed', error: { subcode: 2207026, retryable: false } });
        else expect(event.type === 'published' && mediaIds.has(event.mediaId!)).toBe(true);
      });
      expect(sim.record.publishes).toHaveLength(8);
      expect(judge(sim.record)).toEqual([]);
      // an entry tried again waited 1 s, then 2 s, then 4 s… on the engine's clock
      const attempts = new Map<string, number[]>();
      for (const r of receiver.received) attempts.set(header(r, WEBHOOK_HEADERS.delivery)!, [...(attempts.get(header(r, WEBHOOK_HEADERS.delivery)!) ?? []), Number(header(r, WEBHOOK_HEADERS.timestamp))]);
      const retried = [...attempts.values()].filter((times) => times.length > 1);
      expect(retried.length).toBeGreaterThan(0);
      for (const times of retried) {
        times.forEach((at, n) => {
          if (n > 0) expect(at - times[n - 1]!).toBeGreaterThanOrEqual(Math.min(8_000, 1_000 * 2 ** (n - 1)));
        });
      }
      // once delivered, an outcome is not sent again
      for (const times of attempts.values()) expect(times.length).toBeLessThanOrEqual(6);
      const okPerDelivery = new Map<string, number>();
      for (const r of receiver.delivered()) okPerDelivery.set(header(r, WEBHOOK_HEADERS.delivery)!, (okPerDelivery.get(header(r, WEBHOOK_HEADERS.delivery)!) ?? 0) + 1);
      expect([...okPerDelivery.values()].every((n) => n === 1)).toBe(true);
      console.log(`webhooks (${name}): ${keys.length} outcomes, ${receiver.received.length} requests (${receiver.received.filter((r) => r.answer !== 'ok').length} failed: 500, dropped or slow), every one delivered once with a 2xx`);
    }, 60_000);
  }
});
