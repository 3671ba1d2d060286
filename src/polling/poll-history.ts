import { z } from 'zod';
import { fitIntervals, fitUncertainty, type FinishInterval, type FitUncertainty } from './interval-fit.js';
import type { LogNormal } from './lognormal.js';

/**
 * What kind of processing a container does, as far as igflow can tell
 * from what it sends: an image, a video, or a carousel parent (which only
 * assembles finished items, whatever they hold). Media sizes are not part
 * of it: igflow sends URLs and never downloads them, so it does not know
 * them.
 */
export type ProcessingKind = 'image' | 'video' | 'parent';

/** One container's finish, seen by this process: its account, kind and the interval its processing time lies in. */
export interface FinishObservation extends FinishInterval {
  readonly account: string;
  readonly kind: ProcessingKind;
}

/** What the history believes about one account and kind. */
export interface LearnedTimes extends LogNormal {
  /** The observations the fit used. */
  readonly n: number;
  /** How uncertain the fit is; undefined when the intervals do not say (all alike, say). */
  readonly uncertainty: FitUncertainty | undefined;
}

/** Options of {@link PollHistory}. */
export interface PollHistoryOptions {
  /** Observations kept per account and kind, the oldest dropped first (default 200): old ones age out, so the fit follows Instagram when it slows down or speeds up. */
  readonly window?: number;
  /** Below this many observations the history claims to know nothing (default 8). */
  readonly minObservations?: number;
}

const DEFAULT_WINDOW = 200;
const DEFAULT_MIN_OBSERVATIONS = 8;
/** A fit is redone once the count has doubled since, or once this share of the window is new: a handful of fits while it fills, then one every 20 finishes. */
const REFIT_SHARE = 0.1;

/** The JSON form of a {@link PollHistory}: for an app that keeps it across restarts. */
export const PollHistorySnapshot = z.strictObject({
  v: z.literal(1),
  series: z.array(
    z.strictObject({
      account: z.string().min(1),
      kind: z.enum(['image', 'video', 'parent']),
      /** [lowMs, highMs] pairs, oldest first. */
      intervals: z.array(z.tuple([z.number().min(0), z.number().positive()])),
    }),
  ),
});
/** See {@link PollHistorySnapshot}. */
export type PollHistorySnapshot = z.infer<typeof PollHistorySnapshot>;

interface Series {
  readonly account: string;
  readonly kind: ProcessingKind;
  readonly intervals: FinishInterval[];
  fresh: number;
  learned: LearnedTimes | undefined;
}

/**
 * The processing times one process has seen, per account and kind: a
 * bounded window of finish intervals and a lognormal fitted to them
 * (interval-censored maximum likelihood, `fitIntervals`), refitted lazily
 * when the count has doubled or a tenth of the window is new. Pure memory: nothing is stored, so an
 * engine that restarts starts again from the seed's schedule unless the app
 * hands it a history it kept (`snapshot()` / `PollHistory.restore`).
 */
export class PollHistory {
  private readonly series = new Map<string, Series>();
  private readonly window: number;
  private readonly minObservations: number;

  constructor(options: PollHistoryOptions = {}) {
    this.window = Math.max(1, Math.floor(options.window ?? DEFAULT_WINDOW));
    this.minObservations = Math.max(1, Math.floor(options.minObservations ?? DEFAULT_MIN_OBSERVATIONS));
  }

  /** A history holding what `snapshot` says (validated; a wrong shape throws a ZodError). */
  static restore(snapshot: unknown, options: PollHistoryOptions = {}): PollHistory {
    const parsed = PollHistorySnapshot.parse(snapshot);
    const history = new PollHistory(options);
    for (const s of parsed.series) for (const [lowMs, highMs] of s.intervals) history.observe({ account: s.account, kind: s.kind, lowMs, highMs });
    return history;
  }

  /** Adds one finish; an interval that says nothing (not after creation, or empty) is ignored. */
  observe(observation: FinishObservation): void {
    const { lowMs, highMs } = observation;
    if (!(highMs > 0) || !(highMs > lowMs) || !Number.isFinite(highMs)) return;
    const key = keyOf(observation.account, observation.kind);
    let series = this.series.get(key);
    if (series === undefined) {
      series = { account: observation.account, kind: observation.kind, intervals: [], fresh: 0, learned: undefined };
      this.series.set(key, series);
    }
    series.intervals.push({ lowMs: Math.max(0, lowMs), highMs });
    if (series.intervals.length > this.window) series.intervals.splice(0, series.intervals.length - this.window);
    series.fresh += 1;
  }

  /** How many observations of this account and kind are kept. */
  count(account: string, kind: ProcessingKind): number {
    return this.series.get(keyOf(account, kind))?.intervals.length ?? 0;
  }

  /**
   * The fitted processing times of this account and kind, or undefined
   * below the minimum count. The same object until a refit, so a caller
   * may cache what it derives from it.
   */
  learned(account: string, kind: ProcessingKind): LearnedTimes | undefined {
    const series = this.series.get(keyOf(account, kind));
    if (series === undefined || series.intervals.length < this.minObservations) return undefined;
    if (series.learned === undefined || series.intervals.length >= 2 * series.learned.n || series.fresh >= Math.max(1, Math.ceil(this.window * REFIT_SHARE))) {
      const fit = fitIntervals(series.intervals);
      if (fit === undefined) return undefined;
      series.learned = { ...fit, n: series.intervals.length, uncertainty: fitUncertainty(series.intervals, fit) };
      series.fresh = 0;
    }
    return series.learned;
  }

  /** Everything kept, as JSON. */
  snapshot(): PollHistorySnapshot {
    return {
      v: 1,
      series: [...this.series.values()].map((s) => ({ account: s.account, kind: s.kind, intervals: s.intervals.map((i): [number, number] => [i.lowMs, i.highMs]) })),
    };
  }
}

const keyOf = (account: string, kind: ProcessingKind) => `${kind}\u0000${account}`;
