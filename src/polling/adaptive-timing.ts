import { CONTAINER_LIFETIME_MS, DEFAULT_UNIT_MS, standardTiming, type StandardTimingOptions, type Timing } from '../machines/timing.js';
import { logNormalQuantile } from './lognormal.js';
import { choosePlan, type ChosenPlan } from './plan-choice.js';
import type { LearnedTimes, PollHistory, ProcessingKind } from './poll-history.js';
import { plannedReadAt } from './poll-plan.js';

/** Options of {@link adaptiveTiming}. */
export interface AdaptiveTimingOptions extends StandardTimingOptions {
  /** What has been seen of processing times; fed by whoever watches the status reads (the engine: `observedGraph`). */
  readonly history: PollHistory;
  /** A fixed trade-off: one read is worth this many units of lag. Default: per account and kind, the one that beats the seed's schedule by the largest equal share on reads and lag (`choosePlan`). */
  readonly readWorthUnits?: number;
}

/** A plan reaches to where all but this share of containers should have finished… */
const HORIZON_SHARE = 1e-4;
/** …with this much margin, and at least this many units. */
const HORIZON_MARGIN = 1.2;
const MIN_HORIZON_UNITS = 4;
/** Past the plan, each read waits half the time since creation, within [unit, 60 s] (Meta's one read a minute). */
const TAIL_SHARE = 0.5;
const TAIL_CAP_MS = 60_000;

/**
 * The plan adaptiveTiming reads on for what was learned: chosen on the
 * predictive distribution (the fit, its spread widened to σ·√(1 + 1/n)),
 * so that it beats the seed's schedule there and at the four corners of
 * the fit's one-standard-error box (mu ± se, sigma × e^±se), reaching to
 * where all but 1 in 10,000 containers should be done (with a margin),
 * never past `limitMs`.
 */
export function learnedPlan(learned: LearnedTimes, options: { readonly unitMs: number; readonly limitMs: number; readonly readWorthMs?: number | undefined }): ChosenPlan {
  const widen = Math.sqrt(1 + 1 / learned.n);
  const predictive = { mu: learned.mu, sigma: learned.sigma * widen };
  const horizonMs = Math.min(options.limitMs, Math.max(MIN_HORIZON_UNITS * options.unitMs, HORIZON_MARGIN * logNormalQuantile(predictive, 1 - HORIZON_SHARE)));
  const se = learned.uncertainty;
  const plausible =
    se === undefined
      ? []
      : [-1, 1].flatMap((dm) => [-1, 1].map((ds) => ({ mu: learned.mu + dm * se.seMu, sigma: learned.sigma * Math.exp(ds * se.seLogSigma) * widen })));
  return choosePlan(predictive, { unitMs: options.unitMs, horizonMs, readWorthMs: options.readWorthMs, plausible });
}

/**
 * igflow's adaptive polling. With fewer than the history's minimum of
 * observations for a container's account and kind, exactly the seed's
 * schedule (`standardTiming`, `pollDelayMs`). With them, reads follow the
 * plan that minimises expected reads + lag ÷ readWorth under the fitted
 * lognormal (`planPolls`), its spread widened to the predictive one
 * (σ·√(1 + 1/n)), for the readWorth that beats the seed's schedule by the
 * largest equal share on both figures (`choosePlan`; the seed's schedule
 * when no plan is expected to beat it on both, under the deadline rule
 * below), keyed on the time
 * since creation, so a read made late,
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
  const readWorthMs = options.readWorthUnits === undefined ? undefined : options.readWorthUnits * unitMs;
  const { history } = options;
  const chosen = new WeakMap<LearnedTimes, Map<number, ChosenPlan>>();

  const planFor = (learned: LearnedTimes, limitMs: number): ChosenPlan => {
    let byLimit = chosen.get(learned);
    if (byLimit === undefined) {
      byLimit = new Map();
      chosen.set(learned, byLimit);
    }
    let choice = byLimit.get(limitMs);
    if (choice === undefined) {
      choice = learnedPlan(learned, { unitMs, limitMs, readWorthMs });
      byLimit.set(limitMs, choice);
    }
    return choice;
  };

  return {
    ...base,
    nextPollAt(poll) {
      const kind: ProcessingKind = poll.role === 'carousel-parent' ? 'parent' : poll.media;
      const learned = history.learned(poll.account, kind);
      if (learned === undefined) return base.nextPollAt(poll);
      const limitMs = Math.min(base.deadlineMs(poll.media), CONTAINER_LIFETIME_MS);
      const { plan } = planFor(learned, limitMs);
      const elapsed = Math.max(0, poll.at - poll.createdAt);
      const planned = plan === undefined ? undefined : plannedReadAt(plan, elapsed);
      const tailMs = Math.min(TAIL_CAP_MS, Math.max(unitMs, elapsed * TAIL_SHARE));
      const earliest = poll.at + unitMs;
      // no plan beats the seed here: its schedule, under the same deadline rule
      const unplanned = plan === undefined ? base.nextPollAt(poll) : poll.at + tailMs;
      let next = Math.max(earliest, planned === undefined ? unplanned : poll.createdAt + planned);
      const limit = poll.createdAt + limitMs;
      if (next > limit - unitMs) next = Math.max(limit, earliest);
      return next;
    },
  };
}
