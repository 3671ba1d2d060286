import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { RateGate } from '../../src/effects/rate-gate.js';
import type { Usage } from '../../src/graph/usage.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';

const UNIT = 5_000;
const usage = (peakPercent: number, regainAccessMs?: number): Usage => ({ app: undefined, business: [], peakPercent, regainAccessMs });
const gate = (clock = new VirtualClock()) => ({ clock, gate: new RateGate({ clock, unitMs: UNIT, random: () => 0 }) });

describe('RateGate: one brake per account', () => {
  it('lets calls through at once when nothing holds it back', () => {
    const { gate: g } = gate();
    g.observe({ step: 'status', httpStatus: 200, usage: usage(40) });
    expect(['read', 'create', 'publish'].map((p) => g.delayFor(p as 'read'))).toEqual([0, 0, 0]);
  });

  it('slows reads first and creates next when usage nears 100%, never publishes', () => {
    const { gate: g } = gate();
    g.observe({ step: 'status', httpStatus: 200, usage: usage(95) });
    const [read, create, publish] = (['read', 'create', 'publish'] as const).map((p) => g.delayFor(p));
    expect(read).toBeGreaterThan(create!);
    expect(create).toBeGreaterThan(0);
    expect(publish).toBe(0);
  });

  it('forgets a usage reading that is a minute old', () => {
    const { clock, gate: g } = gate();
    g.observe({ step: 'status', httpStatus: 200, usage: usage(95) });
    clock.advanceBy(12 * UNIT);
    expect(g.delayFor('read')).toBe(0);
  });

  it('blocks every call until estimated_time_to_regain_access, publishes first when it lifts', () => {
    const { clock, gate: g } = gate();
    g.observe({ step: 'create', httpStatus: 400, usage: usage(100, 7 * 60_000), throttledForMs: 7 * 60_000, code: 80002 });
    expect(g.blocked).toBe(clock.now() + 7 * 60_000);
    const [read, create, publish] = (['read', 'create', 'publish'] as const).map((p) => g.delayFor(p));
    expect(publish).toBe(7 * 60_000);
    expect(create).toBeGreaterThan(publish!);
    expect(read).toBeGreaterThan(create!);
  });

  it('backs off exponentially on throttles without a hint, and starts over after a good answer', () => {
    const { clock, gate: g } = gate();
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      g.observe({ step: 'status', httpStatus: 400, usage: undefined, throttledForMs: 0, code: 4 });
      waits.push(g.delayFor('publish'));
      clock.advanceBy(g.delayFor('publish'));
    }
    expect(waits).toEqual([UNIT, 2 * UNIT, 4 * UNIT, 8 * UNIT]);
    g.observe({ step: 'status', httpStatus: 200, usage: undefined });
    g.observe({ step: 'status', httpStatus: 400, usage: undefined, throttledForMs: 0, code: 4 });
    expect(g.delayFor('publish')).toBe(UNIT);
  });

  it('admits a waiting call once the block is over, on the clock', async () => {
    const { clock, gate: g } = gate();
    g.observe({ step: 'status', httpStatus: 400, usage: undefined, throttledForMs: 60_000, code: 17 });
    const start = clock.now();
    await clock.run(firstValueFrom(g.admit('publish')));
    expect(clock.now() - start).toBe(60_000);
  });
});
