import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { call, create, img, instant, publish, sim, status, USER } from './helpers.js';

function getWithAgent(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: 'Bearer sim-token' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('simulator lifecycle', () => {
  it('listens on a free loopback port and reports its URL', async () => {
    const s = await sim();
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    expect(s.port).toBeGreaterThan(0);
  });

  it('closes promptly with a keep-alive connection open', async () => {
    const s = await startSimulator();
    const agent = new Agent({ keepAlive: true });
    expect(await getWithAgent(`${s.url}/v25.0/${USER}/media`, agent)).toBe(200);
    const started = Date.now();
    await s.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    agent.destroy();
    await expect(fetch(`${s.url}/v25.0/${USER}/media`)).rejects.toThrow();
  });

  it('closes promptly while a slow answer is pending', async () => {
    const s = await startSimulator();
    s.inject({ endpoint: 'media', fault: { type: 'slow', delayMs: 60_000 } });
    const pending = fetch(`${s.url}/v25.0/${USER}/media`, { headers: { authorization: 'Bearer sim-token' } }).catch(() => 'failed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await s.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toBe('failed');
  });

  it('keeps separate worlds per simulator instance', async () => {
    const a = await sim({ scenario: { processing: instant } });
    const b = await sim({ scenario: { processing: instant } });
    await publish(a, await create(a, { image_url: img() }));
    expect(a.record.publishes).toHaveLength(1);
    expect(b.record.publishes).toHaveLength(0);
    expect((await call(b, 'GET', `/v25.0/${USER}/content_publishing_limit`)).json).toEqual({ data: [{ quota_usage: 0 }] });
  });

  it('changes the scenario at run time with setScenario', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: instant, quotaTotal: 1 } });
    await publish(s, await create(s, { image_url: img(1) }));
    const second = await create(s, { image_url: img(2) });
    expect((await publish(s, second)).status).toBe(400);
    s.setScenario({ quotaTotal: 2, processing: { imageMs: [10_000, 10_000] } });
    expect(s.scenario.processing.videoMs).toEqual([0, 0]);
    expect((await publish(s, second)).status).toBe(200);
    const slow = await create(s, { image_url: img(3) });
    expect((await status(s, slow)).status_code).toBe('IN_PROGRESS');
    expect(() => s.setScenario({ quotaTotal: -5 })).toThrow();
    expect(s.scenario.quotaTotal).toBe(2);
  });

  it('never holds a VirtualClock itself: time moves while a slow answer waits in real time', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock });
    s.inject({ endpoint: 'media', fault: { type: 'slow', delayMs: 100 } });
    const t0 = clock.now();
    clock.schedule(() => undefined, 1_000);
    let nowBeforeRespond = 0;
    s.hooks.beforeRespond = () => {
      nowBeforeRespond = clock.now();
    };
    await clock.run(call(s, 'GET', `/v25.0/${USER}/media`));
    expect(nowBeforeRespond).toBe(t0 + 1_000);
  });
});
