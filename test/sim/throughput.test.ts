import { describe, expect, it } from 'vitest';
import { create, img, instant, publish, sim, status } from './helpers.js';

describe('simulator throughput', () => {
  it('pushes 1,000 posts (3,000 requests) through with no faults, ten at a time', async () => {
    const s = await sim({ scenario: { processing: instant, quotaTotal: 10_000, containerCap: 10_000 } });
    const started = Date.now();
    const post = async (n: number): Promise<void> => {
      const id = await create(s, { image_url: img(n), caption: `post ${n}` });
      await status(s, id);
      await publish(s, id);
    };
    for (let batch = 0; batch < 100; batch += 1) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => post(batch * 10 + i)));
    }
    const elapsed = Date.now() - started;
    expect(s.record.publishes).toHaveLength(1_000);
    expect(s.record.violations).toHaveLength(0);
    expect(new Set(s.record.publishes.map((p) => p.mediaId)).size).toBe(1_000);
    expect(elapsed).toBeLessThan(20_000);
  });
});
