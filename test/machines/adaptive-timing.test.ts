import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { standardTiming } from '../../src/machines/timing.js';
import { adaptiveTiming } from '../../src/polling/adaptive-timing.js';
import { PollHistory, type ProcessingKind } from '../../src/polling/poll-history.js';

const T0 = Date.UTC(2026, 0, 1);
const learnedHistory = (lowMs: number, highMs: number, kind: ProcessingKind = 'video', n = 20, account = 'a') => {
  const history = new PollHistory();
  for (let i = 0; i < n; i += 1) history.observe({ account, kind, lowMs, highMs });
  return history;
};
/** Every read a timing makes of a container that never finishes, from creation to `limitMs` after it. */
const reads = (timing: ReturnType<typeof adaptiveTiming>, media: 'image' | 'video', limitMs: number, role?: 'carousel-parent') => {
  const out: number[] = [];
  for (let at = T0, polls = 0; at - T0 < limitMs && out.length < 10_000; polls += 1) {
    at = timing.nextPollAt({ account: 'a', media, role, createdAt: T0, polls, at });
    out.push(at - T0);
  }
  return out;
};

describe('adaptiveTiming', () => {
  it('with no history reads exactly on the seed schedule', () => {
    const seed = standardTiming({ unitMs: 5_000 });
    // history for another account and another kind must not leak into this one
    const history = learnedHistory(30_000, 50_000, 'image', 20, 'other');
    const adaptive = adaptiveTiming({ unitMs: 5_000, history });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 3_600_000 }), fc.constantFrom('image' as const, 'video' as const), (polls, since, media) => {
        const poll = { account: 'a', media, createdAt: T0, polls, at: T0 + since };
        expect(adaptive.nextPollAt(poll)).toBe(seed.nextPollAt(poll));
      }),
    );
    expect(reads(adaptive, 'video', 300_000).slice(0, 6)).toEqual([5_000, 15_000, 30_000, 50_000, 75_000, 105_000]);
  });

  it('keeps everything but the polls of the standard timing', () => {
    const seed = standardTiming({ unitMs: 1_000, deadlineMs: { video: 60_000 } });
    const adaptive = adaptiveTiming({ unitMs: 1_000, deadlineMs: { video: 60_000 }, history: new PollHistory() });
    expect(adaptive.deadlineMs('video')).toBe(60_000);
    expect(adaptive.retryDelayMs(3)).toBe(seed.retryDelayMs(3));
    expect(adaptive.leadMs('image')).toBe(seed.leadMs('image'));
    expect(adaptive.verifyGraceMs).toBe(seed.verifyGraceMs);
  });

  it('never reads closer than the unit, nor past the processing deadline, and reads at the deadline last', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 500, max: 600_000, noNaN: true }),
        fc.double({ min: 0.1, max: 2, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 20_000, max: 1_800_000 }),
        fc.constantFrom('image' as const, 'video' as const),
        (medianMs, spread, unitMs, deadline, media) => {
          const history = learnedHistory(medianMs / (1 + spread), medianMs * (1 + spread), media);
          const timing = adaptiveTiming({ unitMs, deadlineMs: { [media]: deadline }, history });
          const out = reads(timing, media, deadline);
          expect(out[0]).toBeGreaterThanOrEqual(unitMs);
          for (let i = 1; i < out.length; i += 1) expect(out[i]! - out[i - 1]!).toBeGreaterThanOrEqual(unitMs);
          expect(out.at(-1)).toBe(deadline);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps the unit after a read it did not place, even near the deadline', () => {
    const timing = adaptiveTiming({ unitMs: 5_000, deadlineMs: { video: 100_000 }, history: learnedHistory(30_000, 50_000) });
    // a retry's read at 98 s: the unit wins over the deadline
    expect(timing.nextPollAt({ account: 'a', media: 'video', createdAt: T0, polls: 9, at: T0 + 98_000 })).toBe(T0 + 103_000);
    // a restart's read long after creation picks the plan up from where it stands
    const late = timing.nextPollAt({ account: 'a', media: 'video', createdAt: T0, polls: 1, at: T0 + 61_234 });
    expect(late - (T0 + 61_234)).toBeGreaterThanOrEqual(5_000);
  });

  it('reads a container of a known 40 s far less often than the seed, and sees it finish as soon', () => {
    const seed = reads(adaptiveTiming({ unitMs: 5_000, history: new PollHistory() }), 'video', 40_000);
    const learned = reads(adaptiveTiming({ unitMs: 5_000, history: learnedHistory(36_000, 41_000) }), 'video', 40_000);
    expect(seed).toEqual([5_000, 15_000, 30_000, 50_000]);
    expect(learned.length).toBeLessThanOrEqual(2);
    expect(learned.at(-1)).toBeLessThanOrEqual(50_000);
  });

  it('plans a carousel parent on what parents took, not on its videos', () => {
    const history = learnedHistory(30_000, 50_000, 'video');
    for (let i = 0; i < 20; i += 1) history.observe({ account: 'a', kind: 'parent', lowMs: 0, highMs: 5_000 });
    const timing = adaptiveTiming({ unitMs: 5_000, history });
    expect(reads(timing, 'video', 5_000, 'carousel-parent')[0]).toBe(5_000);
    expect(reads(timing, 'video', 5_000)[0]).toBeGreaterThan(20_000);
  });
});
