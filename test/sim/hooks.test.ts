import { describe, expect, it } from 'vitest';
import type { SimOutcome, SimRequestInfo } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { call, create, img, instant, publish, sim, TOKEN, USER } from './helpers.js';

describe('simulator hooks', () => {
  it('runs onRequest before the effect and beforeRespond after it, in order', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const id = await create(s, { image_url: img(), caption: 'hooked' });
    const events: string[] = [];
    s.hooks.onRequest = (req) => {
      events.push(`onRequest ${req.endpoint} seq=${req.seq} publishes=${s.record.publishes.length}`);
    };
    s.hooks.beforeRespond = (req, outcome) => {
      events.push(`beforeRespond ${req.endpoint} status=${outcome.status} effect=${outcome.effectApplied} publishes=${s.record.publishes.length}`);
    };
    await publish(s, id);
    expect(events).toEqual(['onRequest publish seq=2 publishes=0', 'beforeRespond publish status=200 effect=true publishes=1']);
  });

  it('waits for async hooks before applying the effect and before answering', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const id = await create(s, { image_url: img() });
    let releaseRequest!: () => void;
    let releaseRespond!: () => void;
    let answered = false;
    s.hooks.onRequest = () => new Promise<void>((resolve) => (releaseRequest = resolve));
    s.hooks.beforeRespond = () => new Promise<void>((resolve) => (releaseRespond = resolve));
    const pending = publish(s, id).then((reply) => {
      answered = true;
      return reply;
    });
    await until(() => releaseRequest !== undefined);
    await pause(30);
    expect(s.record.publishes).toHaveLength(0);
    releaseRequest();
    await until(() => releaseRespond !== undefined);
    await pause(30);
    expect(s.record.publishes).toHaveLength(1);
    expect(answered).toBe(false);
    releaseRespond();
    expect((await pending).status).toBe(200);
  });

  it('gives hooks the request without the token and the outcome of faults', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const s = await sim({ clock, scenario: { processing: instant } });
    const id = await create(s, { image_url: img() });
    s.inject({ endpoint: 'publish', fault: { type: 'lostResponse' } });
    const seen: { req: SimRequestInfo; outcome: SimOutcome }[] = [];
    s.hooks.beforeRespond = (req, outcome) => {
      seen.push({ req, outcome });
    };
    await call(s, 'POST', `/v25.0/${USER}/media_publish`, { query: { access_token: TOKEN, creation_id: id }, token: null }).catch(() => undefined);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.req).toMatchObject({ endpoint: 'publish', method: 'POST', account: USER, at: Date.UTC(2026, 0, 1), params: { creation_id: id } });
    expect(JSON.stringify(seen[0]?.req)).not.toContain(TOKEN);
    expect(seen[0]?.outcome).toMatchObject({ delivery: 'lost', effectApplied: true, fault: 'lostResponse' });
  });

  it('answers a failing hook with a code 1 envelope instead of crashing', async () => {
    const s = await sim();
    s.hooks.onRequest = () => {
      throw new Error('boom');
    };
    const reply = await call(s, 'GET', `/v25.0/${USER}/media`);
    expect(reply.status).toBe(500);
    expect(reply.json).toMatchObject({ error: { code: 1 } });
  });
});

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await pause(5);
  if (!check()) throw new Error('condition never became true');
}
