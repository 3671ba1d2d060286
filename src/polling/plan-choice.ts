import { pollDelayMs } from '../machines/timing.js';
import type { LogNormal } from './lognormal.js';
import { planPolls, plannedReadAt, type PollPlan } from './poll-plan.js';
import { scheduleCost, type ScheduleCost } from './schedule-cost.js';

/** The plan {@link choosePlan} settled on for one distribution, with what it and the seed's schedule are expected to cost. */
export interface ChosenPlan {
  /** Undefined when no plan is expected to beat the seed's schedule on both reads and lag: the seed's schedule is kept. */
  readonly plan: PollPlan | undefined;
  /** The trade-off of the plan: one read is worth this much lag. */
  readonly readWorthMs: number;
  readonly expected: ScheduleCost;
  readonly seed: ScheduleCost;
}

/** Options of {@link choosePlan}. */
export interface ChooseOptions {
  readonly unitMs: number;
  readonly horizonMs: number;
  /** A fixed trade-off; by default the one that beats the seed's schedule by the largest equal share on both figures. */
  readonly readWorthMs?: number | undefined;
  /** Other distributions the truth may be (the fit's uncertainty): the shares are the worst over them and `d`. Default none. */
  readonly plausible?: readonly LogNormal[] | undefined;
}

/** The trade-offs searched, in units: from a read worth a twentieth of a unit to one worth a hundred units. */
const MIN_WORTH_UNITS = 0.05;
const MAX_WORTH_UNITS = 100;
const SEARCH_ROUNDS = 10;

/** The reads a plan makes of a container that is still processing, from creation on. */
export function planOffsets(plan: PollPlan): number[] {
  const out: number[] = [];
  for (let at = plannedReadAt(plan, 0); at !== undefined; at = plannedReadAt(plan, at)) out.push(at);
  return out;
}

/** The seed's reads (unit × N, then Meta's minute) from creation up to `horizonMs`. */
export function seedOffsets(unitMs: number, horizonMs: number): number[] {
  const out: number[] = [];
  for (let n = 1, at = 0; at < horizonMs; n += 1) out.push((at += pollDelayMs(n, unitMs)));
  return out;
}

/**
 * Picks the plan for a distribution. Every plan `planPolls` makes is
 * optimal for its trade-off (reads + lag ÷ readWorth); which trade-off is
 * igflow's choice, and by default it is relative to what igflow did
 * before: the one whose plan improves on the seed's schedule by the
 * largest share on both figures at once, max over readWorth of
 * min(1 − reads/seedReads, 1 − lag/seedLag), both expected under `d` and
 * under each `plausible` distribution, the worst of them counting. A
 * bigger readWorth saves reads and costs lag, so the search is a
 * bisection on where the two shares cross. When even the best plan is not
 * expected to beat the seed on both everywhere, the seed's schedule is kept.
 */
export function choosePlan(d: LogNormal, options: ChooseOptions): ChosenPlan {
  const { unitMs, horizonMs } = options;
  const seedReads = seedOffsets(unitMs, horizonMs);
  const seed = scheduleCost(d, seedReads);
  const costOf = (readWorthMs: number) => {
    const plan = planPolls(d, { unitMs, readWorthMs, horizonMs });
    return { plan, readWorthMs, expected: scheduleCost(d, planOffsets(plan)) };
  };
  if (options.readWorthMs !== undefined) return { ...costOf(options.readWorthMs), seed };
  const worlds = [d, ...(options.plausible ?? [])].map((world) => ({ world, seed: scheduleCost(world, seedReads) }));
  const shares = (plan: PollPlan) => {
    const offsets = planOffsets(plan);
    let reads = Number.POSITIVE_INFINITY;
    let lag = Number.POSITIVE_INFINITY;
    for (const { world, seed: theirs } of worlds) {
      const mine = scheduleCost(world, offsets);
      reads = Math.min(reads, 1 - mine.reads / theirs.reads);
      lag = Math.min(lag, theirs.lagMs > 0 ? 1 - mine.lagMs / theirs.lagMs : 0);
    }
    return { reads, lag };
  };
  let lo = Math.log(MIN_WORTH_UNITS * unitMs);
  let hi = Math.log(MAX_WORTH_UNITS * unitMs);
  let best: (ReturnType<typeof costOf> & { readonly score: number }) | undefined;
  for (let round = 0; round < SEARCH_ROUNDS; round += 1) {
    const mid = (lo + hi) / 2;
    const candidate = costOf(Math.exp(mid));
    const share = shares(candidate.plan);
    const score = Math.min(share.reads, share.lag);
    if (best === undefined || score > best.score) best = { ...candidate, score };
    if (share.reads < share.lag) lo = mid;
    else hi = mid;
  }
  if (best === undefined || !(best.score > 0)) return { plan: undefined, readWorthMs: best?.readWorthMs ?? unitMs, expected: seed, seed };
  return { plan: best.plan, readWorthMs: best.readWorthMs, expected: best.expected, seed };
}
