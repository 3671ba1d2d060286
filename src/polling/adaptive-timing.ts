import { CONTAINER_LIFETIME_MS, DEFAULT_UNIT_MS, standardTiming, type StandardTimingOptions, type Timing } from '../machines/timing.js';
import { logNormalQuantile } from './lognormal.js';
import type { LearnedTimes, PollHistory, ProcessingKind } from './poll-history.js';
import { planPolls, plannedReadAt, type PollPlan } from './poll-plan.js';

/** Options of {@link adaptiveTiming}. */
export interface AdaptiveTimingOptions extends StandardTimingOptions {
  /** What has been seen of processing times; fed by whoever watches the status reads (the engine: `observedGraph`). */
  readonly history: PollHistory;
  /** How much detection lag one read is worth, in units (default 0.7: 3.5 s at the 5 s unit); the plans minimise reads + lag ÷ this. */
  readonly readWorthUnits?: number;
}

/**
 * The default trade-off: a read is worth 0.7 units (3.5 s) of lag. On the
 * benchmark's mix, plans on the true distribution dominate fixed 20 s on
 * video for a read worth 3.1–4.0 s and the seed on images for 2.9–12 s
 * (bench/polling.ts prints the frontier); 3.5 s is inside both.
 */
export const DEFAULT_READ_WORTH_UNITS = 0.7;
/** A plan reaches to where all but this share of containers should have finished… */
const HORIZON_SHARE = 1e-4;
/** …with this much margin, and at least this many units. */
const HORIZON_MARGIN = 1.2;
const MIN_HORIZON_UNITS = 4;
/** Past the plan, each read waits half the time since creation, within [unit, 60 s] (Meta's one read a minute). */
const TAIL_SHARE = 0.5;
const TAIL_CAP_MS = 60_000;

/**
 * igflow's adaptive polling. With fewer than the history's minimum of
 * observations for a container's account and kind, exactly the seed's
 * schedule (`standardTiming`, `pollDelayMs`). With them, reads follow the
 * plan that minimises expected reads + lag ÷ readWorth under the fitted
 * lognormal (`planPolls`), its spread widened to the predictive one
 * (σ·√(1 + 1/n)), keyed on the time since creation, so a read made late,
 * after a retry or a restart, picks the plan up where it stands. Every
 * read is at least one unit after the request before it, and none is
 * planned past the processing deadline (or the container's life): a read
 * that would land within a unit of it lands on it. Only when a read the
 * plan did not place (a retry's, a restart's) was already within a unit
 * of the deadline does the unit win, and the read comes one unit later.
 * Everything but `nextPollAt` is the standard timing's.
 */
export function adaptiveTiming(options: AdaptiveTimingOptions): Timing {
  const base = standardTiming(options);
  const unitMs = options.unitMs ?? DEFAULT_UNIT_MS;
  const readWorthMs = (options.readWorthUnits ?? DEFAULT_READ_WORTH_UNITS) * unitMs;
  const { history } = options;
  const plans = new WeakMap<LearnedTimes, Map<number, PollPlan>>();

  const planFor = (learned: LearnedTimes, limitMs: number): PollPlan => {
    let byLimit = plans.get(learned);
    if (byLimit === undefined) {
      byLimit = new Map();
      plans.set(learned, byLimit);
    }
    let plan = byLimit.get(limitMs);
    if (plan === undefined) {
      const predictive = { mu: learned.mu, sigma: learned.sigma * Math.sqrt(1 + 1 / learned.n) };
      const horizonMs = Math.min(limitMs, Math.max(MIN_HORIZON_UNITS * unitMs, HORIZON_MARGIN * logNormalQuantile(predictive, 1 - HORIZON_SHARE)));
      plan = planPolls(predictive, { unitMs, readWorthMs, horizonMs });
      byLimit.set(limitMs, plan);
    }
    return plan;
  };

  return {
    ...base,
    nextPollAt(poll) {
      const kind: ProcessingKind = poll.role === 'carousel-parent' ? 'parent' : poll.media;
      const learned = history.learned(poll.account, kind);
      if (learned === undefined) return base.nextPollAt(poll);
      const limitMs = Math.min(base.deadlineMs(poll.media), CONTAINER_LIFETIME_MS);
      const elapsed = Math.max(0, poll.at - poll.createdAt);
      const planned = plannedReadAt(planFor(learned, limitMs), elapsed);
      const tailMs = Math.min(TAIL_CAP_MS, Math.max(unitMs, elapsed * TAIL_SHARE));
      const earliest = poll.at + unitMs;
      let next = Math.max(earliest, planned === undefined ? poll.at + tailMs : poll.createdAt + planned);
      const limit = poll.createdAt + limitMs;
      if (next > limit - unitMs) next = Math.max(limit, earliest);
      return next;
    },
  };
}
