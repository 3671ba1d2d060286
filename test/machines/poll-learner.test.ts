import { describe, expect, it } from 'vitest';
import { pollDelayMs } from '../../src/machines/timing.js';
import { fitIntervals, fitUncertainty, type FinishInterval } from '../../src/polling/interval-fit.js';
import { logNormalCdf, logNormalQuantile } from '../../src/polling/lognormal.js';
import { normalCdf, normalQuantile } from '../../src/polling/normal.js';
import { PollHistory } from '../../src/polling/poll-history.js';
import { planPolls, plannedReadAt } from '../../src/polling/poll-plan.js';
import { choosePlan, planOffsets, seedOffsets as seedOf } from '../../src/polling/plan-choice.js';
import { scheduleCost } from '../../src/polling/schedule-cost.js';
import { createPrng } from '../../src/sim/prng.js';
import { drawProcessingMs } from '../../src/sim/processing-draw.js';

const UNIT = 5_000;
/** The seed's read offsets after creation, up to `untilMs`. */
const seedOffsets = (untilMs: number) => {
  const offsets: number[] = [];
  for (let n = 1, at = 0; at < untilMs; n += 1) offsets.push((at += pollDelayMs(n, UNIT)));
  return offsets;
};
const fixedOffsets = (every: number, untilMs: number) => Array.from({ length: Math.ceil(untilMs / every) }, (_, i) => (i + 1) * every);
/** The interval a schedule reveals of a processing time `ms`. */
const revealed = (offsets: readonly number[], ms: number): FinishInterval => {
  const k = offsets.findIndex((t) => t >= ms);
  return { lowMs: k > 0 ? offsets[k - 1]! : 0, highMs: offsets[k]! };
};
const draws = (medianMs: number, sigma: number, n: number, seed = 11) => {
  const prng = createPrng(seed);
  return Array.from({ length: n }, () => drawProcessingMs({ medianMs, sigma }, prng));
};

describe('the normal distribution', () => {
  it('has the textbook values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 4);
    expect(logNormalQuantile({ mu: Math.log(45_000), sigma: 0.7 }, 0.5)).toBeCloseTo(45_000, 0);
  });
});

describe('fitting processing times from what reads reveal', () => {
  it('recovers a lognormal from the wide intervals of the seed schedule, where midpoints are biased', () => {
    const seed = seedOffsets(3_600_000);
    for (const [medianMs, sigma] of [[4_000, 0.6], [45_000, 0.7]] as const) {
      const intervals = draws(medianMs, sigma, 3_000).map((ms) => revealed(seed, ms));
      const fit = fitIntervals(intervals)!;
      expect(Math.abs(Math.exp(fit.mu) / medianMs - 1)).toBeLessThan(0.05);
      expect(Math.abs(fit.sigma - sigma)).toBeLessThan(0.05);
      // the naive estimate, the intervals' midpoints, is off by more
      const mids = intervals.map((i) => Math.log((i.lowMs + i.highMs) / 2));
      const naive = Math.exp(mids.reduce((a, b) => a + b, 0) / mids.length);
      expect(Math.abs(naive / medianMs - 1)).toBeGreaterThan(Math.abs(Math.exp(fit.mu) / medianMs - 1));
    }
  });

  it('says how uncertain it is: less with more intervals, more when they are wide', () => {
    const times = draws(45_000, 0.7, 800);
    const fine = fixedOffsets(1_000, 3_600_000);
    const coarse = fixedOffsets(60_000, 3_600_000);
    const se = (ms: readonly number[], offsets: readonly number[]) => {
      const intervals = ms.map((t) => revealed(offsets, t));
      return fitUncertainty(intervals, fitIntervals(intervals)!)!;
    };
    const few = se(times.slice(0, 100), fine);
    const many = se(times, fine);
    expect(many.seMu).toBeLessThan(few.seMu * 0.6);
    // the textbook value for exact times, σ/√n, is about what fine intervals give
    expect(many.seMu).toBeGreaterThan((0.7 / Math.sqrt(800)) * 0.8);
    expect(many.seMu).toBeLessThan((0.7 / Math.sqrt(800)) * 1.3);
    expect(se(times, coarse).seMu).toBeGreaterThan(many.seMu);
    expect(se(times, coarse).seLogSigma).toBeGreaterThan(many.seLogSigma);
  });

  it('never reports a spread below its floor, and nothing from no intervals', () => {
    const fit = fitIntervals(Array.from({ length: 20 }, () => ({ lowMs: 39_000, highMs: 41_000 })))!;
    expect(Math.exp(fit.mu)).toBeGreaterThan(39_000);
    expect(Math.exp(fit.mu)).toBeLessThan(41_000);
    expect(fit.sigma).toBeGreaterThanOrEqual(0.1);
    expect(fitIntervals([])).toBeUndefined();
    expect(fitIntervals([{ lowMs: 5_000, highMs: 5_000 }])).toBeUndefined();
  });
});

describe('PollHistory', () => {
  const seen = (history: PollHistory, n: number, lowMs = 30_000, highMs = 50_000, account = 'a', kind: 'image' | 'video' | 'parent' = 'video') => {
    for (let i = 0; i < n; i += 1) history.observe({ account, kind, lowMs, highMs });
  };

  it('knows nothing below its minimum, per account and kind', () => {
    const history = new PollHistory({ minObservations: 8 });
    seen(history, 7);
    expect(history.learned('a', 'video')).toBeUndefined();
    seen(history, 1);
    expect(history.learned('a', 'video')).toBeDefined();
    expect(history.learned('a', 'image')).toBeUndefined();
    expect(history.learned('b', 'video')).toBeUndefined();
  });

  it('keeps a bounded window, so it follows a change', () => {
    const history = new PollHistory({ window: 20 });
    seen(history, 20, 30_000, 50_000);
    expect(Math.exp(history.learned('a', 'video')!.mu)).toBeGreaterThan(30_000);
    seen(history, 20, 5_000, 10_000);
    expect(history.count('a', 'video')).toBe(20);
    expect(Math.exp(history.learned('a', 'video')!.mu)).toBeLessThan(10_000);
  });

  it('refits when its count doubles or a tenth of its window is new, and is the same object until then', () => {
    const history = new PollHistory({ window: 200, minObservations: 8 });
    seen(history, 8);
    const first = history.learned('a', 'video');
    seen(history, 7);
    expect(history.learned('a', 'video')).toBe(first);
    seen(history, 1);
    const second = history.learned('a', 'video');
    expect(second).not.toBe(first);
    expect(second!.n).toBe(16);
    seen(history, 184);
    const full = history.learned('a', 'video');
    expect(full!.n).toBe(200);
    seen(history, 19);
    expect(history.learned('a', 'video')).toBe(full);
    seen(history, 1);
    expect(history.learned('a', 'video')).not.toBe(full);
  });

  it('ignores intervals that say nothing', () => {
    const history = new PollHistory({ minObservations: 1 });
    history.observe({ account: 'a', kind: 'image', lowMs: 5_000, highMs: 5_000 });
    history.observe({ account: 'a', kind: 'image', lowMs: 0, highMs: 0 });
    history.observe({ account: 'a', kind: 'image', lowMs: 0, highMs: Number.POSITIVE_INFINITY });
    expect(history.count('a', 'image')).toBe(0);
  });

  it('round-trips through its snapshot, and refuses a damaged one', () => {
    const history = new PollHistory();
    seen(history, 10);
    seen(history, 9, 0, 5_000, 'b', 'image');
    const restored = PollHistory.restore(JSON.parse(JSON.stringify(history.snapshot())));
    expect(restored.learned('a', 'video')).toEqual(history.learned('a', 'video'));
    expect(restored.learned('b', 'image')).toEqual(history.learned('b', 'image'));
    expect(() => PollHistory.restore({ v: 1, series: [{ account: 'a', kind: 'audio', intervals: [] }] })).toThrow();
    expect(() => PollHistory.restore({ v: 2, series: [] })).toThrow();
  });
});

describe('choosePlan', () => {
  it('picks a plan expected to beat the seed on both reads and lag, wherever the truth may be', () => {
    const d = { mu: Math.log(45_000), sigma: 0.7 };
    const plausible = [{ mu: Math.log(40_000), sigma: 0.6 }, { mu: Math.log(50_000), sigma: 0.8 }];
    const chosen = choosePlan(d, { unitMs: UNIT, horizonMs: 900_000, plausible });
    expect(chosen.plan).toBeDefined();
    for (const world of [d, ...plausible]) {
      const mine = scheduleCost(world, planOffsets(chosen.plan!));
      const seed = scheduleCost(world, seedOf(UNIT, 900_000));
      expect(mine.reads).toBeLessThan(seed.reads);
      expect(mine.lagMs).toBeLessThan(seed.lagMs);
    }
  });

  it('keeps the seed schedule where nothing beats it: containers done before the first read a unit in', () => {
    expect(choosePlan({ mu: Math.log(1_000), sigma: 0.1 }, { unitMs: UNIT, horizonMs: 60_000 }).plan).toBeUndefined();
  });

  it('takes a fixed trade-off when given one', () => {
    const d = { mu: Math.log(45_000), sigma: 0.7 };
    const cheap = choosePlan(d, { unitMs: UNIT, horizonMs: 900_000, readWorthMs: 20_000 });
    const eager = choosePlan(d, { unitMs: UNIT, horizonMs: 900_000, readWorthMs: 1_000 });
    expect(cheap.expected.reads).toBeLessThan(eager.expected.reads);
    expect(cheap.expected.lagMs).toBeGreaterThan(eager.expected.lagMs);
  });
});

describe('planPolls', () => {
  const video = { mu: Math.log(45_000), sigma: 0.7 };
  const plan = planPolls(video, { unitMs: UNIT, readWorthMs: 3_500, horizonMs: 900_000 });
  const offsets = () => {
    const out: number[] = [];
    for (let at = plannedReadAt(plan, 0); at !== undefined; at = plannedReadAt(plan, at)) out.push(at);
    return out;
  };

  it('places reads at least a unit apart, the first a unit after creation at the earliest, within the horizon', () => {
    const reads = offsets();
    expect(reads.length).toBeGreaterThan(5);
    expect(reads[0]).toBeGreaterThanOrEqual(UNIT);
    for (let i = 1; i < reads.length; i += 1) expect(reads[i]! - reads[i - 1]!).toBeGreaterThanOrEqual(UNIT);
    expect(reads.at(-1)).toBeLessThanOrEqual(900_000);
    // from any time, even off the grid, the next read is a unit away at least
    for (const elapsed of [0, 1, 12_345.6, 44_999, 300_001]) expect(plannedReadAt(plan, elapsed)! - elapsed).toBeGreaterThanOrEqual(UNIT);
  });

  it('costs less, in reads + lag ÷ readWorth, than fixed 5 s, fixed 20 s, fixed 60 s and the seed on the distribution it was made for', () => {
    const objective = (o: readonly number[]) => {
      const cost = scheduleCost(video, o);
      return cost.reads + (cost.lagMs * (1 - cost.unseen)) / 3_500;
    };
    const mine = objective(offsets());
    expect(mine).toBeCloseTo(plan.cost, 2);
    for (const other of [fixedOffsets(5_000, 900_000), fixedOffsets(20_000, 900_000), fixedOffsets(60_000, 900_000), seedOffsets(900_000)]) expect(mine).toBeLessThan(objective(other));
  });

  it('waits for the bulk of a known distribution before reading', () => {
    const narrow = planPolls({ mu: Math.log(40_000), sigma: 0.1 }, { unitMs: UNIT, readWorthMs: 3_500, horizonMs: 600_000 });
    const first = plannedReadAt(narrow, 0)!;
    expect(logNormalCdf({ mu: Math.log(40_000), sigma: 0.1 }, first)).toBeGreaterThan(0.05);
    expect(first).toBeLessThan(45_000);
  });
});
