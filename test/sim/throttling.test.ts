import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { call, graphError, sim, USER, type Reply } from './helpers.js';

const MIN = 60_000;

function buc(reply: Reply): Record<string, unknown> | undefined {
  const parsed = JSON.parse(reply.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, Record<string, unknown>[]>;
  return parsed[USER]?.[0];
}

const readLimit = (s: Parameters<typeof call>[0]): Promise<Reply> => call(s, 'GET', `/v25.0/${USER}/content_publishing_limit`);

describe('simulator throttling', () => {
  it('throttles every request inside the scenario throttle window', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { throttleWindow: { fromMs: MIN, untilMs: 11 * MIN, code: 17 } } });
    expect((await readLimit(s)).status).toBe(200);
    clock.advanceBy(MIN);
    const throttled = await readLimit(s);
    expect(throttled.status).toBe(400);
    expect(graphError(throttled)).toMatchObject({ code: 17, is_transient: true });
    expect(buc(throttled)).toMatchObject({ call_count: 100, estimated_time_to_regain_access: 10 });
    clock.advanceBy(10 * MIN - 1);
    expect(graphError(await readLimit(s)).code).toBe(17);
    clock.advanceBy(1);
    expect((await readLimit(s)).status).toBe(200);
  });

  it('reports usage headers on every answer from the calls in the rolling hour', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { usage: { callsPerHour: 4 } } });
    const first = await readLimit(s);
    expect(JSON.parse(first.headers.get('x-app-usage') ?? '{}')).toMatchObject({ call_count: 25 });
    expect(buc(first)).toEqual({ type: 'instagram', call_count: 25, total_cputime: 6, total_time: 12, estimated_time_to_regain_access: 0 });
    clock.advanceBy(10 * MIN);
    await readLimit(s);
    await readLimit(s);
    const fourth = await readLimit(s);
    expect(fourth.status).toBe(200);
    expect(buc(fourth)).toMatchObject({ call_count: 100, estimated_time_to_regain_access: 50 });
  });

  it('answers 80002 at 100% until the hour frees, and throttled calls still count', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { usage: { callsPerHour: 2 } } });
    await readLimit(s);
    clock.advanceBy(30 * MIN);
    await readLimit(s);
    const blocked = await readLimit(s);
    expect(blocked.status).toBe(400);
    expect(graphError(blocked)).toMatchObject({ code: 80002 });
    expect(buc(blocked)).toMatchObject({ call_count: 150, estimated_time_to_regain_access: 60 });
    clock.advanceBy(60 * MIN);
    expect((await readLimit(s)).status).toBe(200);
  });

  it('sends no usage headers without a usage budget', async () => {
    const s = await sim();
    const reply = await readLimit(s);
    expect(reply.headers.get('x-app-usage')).toBeNull();
    expect(reply.headers.get('x-business-use-case-usage')).toBeNull();
  });
});
