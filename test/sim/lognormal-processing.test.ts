import { describe, expect, it } from 'vitest';
import { drawProcessingMs } from '../../src/sim/processing-draw.js';
import { createPrng } from '../../src/sim/prng.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { create, sim, vid } from './helpers.js';

describe('lognormal processing times', () => {
  it('draws around the median with the asked spread of ln(ms)', () => {
    const prng = createPrng(7);
    const logs = Array.from({ length: 20_000 }, () => Math.log(drawProcessingMs({ medianMs: 45_000, sigma: 0.7 }, prng)));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length);
    expect(Math.exp(mean)).toBeGreaterThan(44_000);
    expect(Math.exp(mean)).toBeLessThan(46_000);
    expect(sd).toBeGreaterThan(0.68);
    expect(sd).toBeLessThan(0.72);
  });

  it('is what a scenario asks for, deterministic per seed', async () => {
    const run = async (seed: number) => {
      const s = await sim({ clock: new VirtualClock(), scenario: { seed, processing: { videoMs: { medianMs: 45_000, sigma: 0.7 } } } });
      for (let n = 0; n < 5; n += 1) await create(s, { media_type: 'REELS', video_url: vid(n) });
      return s.record.containers.map((c) => c.readyAt - c.createdAt);
    };
    const first = await run(3);
    expect(await run(3)).toEqual(first);
    expect(new Set(first).size).toBe(5);
    for (const ms of first) expect(Number.isInteger(ms)).toBe(true);
  });
});
