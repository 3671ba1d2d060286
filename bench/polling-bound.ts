import type { LogNormal } from '../src/polling/lognormal.js';
import { planPolls, plannedReadAt, type PollPlan } from '../src/polling/poll-plan.js';
import { scheduleCost } from '../src/polling/schedule-cost.js';

/** One point of the reads–lag frontier: the plan for one trade-off, and what it costs on the true distribution. */
export interface FrontierPoint {
  readonly readWorthMs: number;
  readonly reads: number;
  readonly lagMs: number;
}

/** The grid of the bound: a hundredth of the unit (a whole number of steps per unit, and little lost to rounding). */
const STEPS_PER_UNIT = 100;
const offsetsOf = (plan: PollPlan) => {
  const out: number[] = [];
  for (let at = plannedReadAt(plan, 0); at !== undefined; at = plannedReadAt(plan, at)) out.push(at);
  return out;
};
const finePlan = (d: LogNormal, unitMs: number, readWorthMs: number, horizonMs: number) =>
  planPolls(d, { unitMs, readWorthMs, horizonMs, stepsPerUnit: STEPS_PER_UNIT, maxSteps: Math.ceil((horizonMs * STEPS_PER_UNIT) / unitMs) });

/** The optimal plans for a range of trade-offs, costed exactly on `d`. */
export function frontier(d: LogNormal, unitMs: number, horizonMs: number, readWorthsMs: readonly number[]): FrontierPoint[] {
  return readWorthsMs.map((readWorthMs) => {
    const cost = scheduleCost(d, offsetsOf(finePlan(d, unitMs, readWorthMs, horizonMs)));
    return { readWorthMs, reads: cost.reads, lagMs: cost.lagMs };
  });
}

/**
 * A lower bound on the reads per container of any schedule whose reads are
 * at least `unitMs` apart (the first at least `unitMs` after the create)
 * and whose mean lag is at most `lagMs`, when processing times follow `d`.
 * Lagrangian duality: for every λ, reads + λ·lag ≥ W_λ, the dynamic
 * programme's optimum on a grid of unit/100, less λ·step for rounding an
 * arbitrary schedule up onto the grid and less the share the plan does not
 * reach; so reads ≥ W_λ − λ·(step + lagMs) − beyond, at best over λ. An
 * adaptive schedule is no exception: until a read sees FINISHED it knows
 * no more of a container than that it is still processing, so it is a
 * schedule too. Never below 1.
 */
export function minReadsAtLag(d: LogNormal, unitMs: number, horizonMs: number, lagMs: number): number {
  let best = 1;
  for (const readWorthMs of [50, 100, 200, 300, 500, 700, 1_000, 1_500, 2_000, 3_000, 5_000, 10_000, 20_000]) {
    const plan = finePlan(d, unitMs, readWorthMs, horizonMs);
    const bound = plan.cost - (plan.stepMs + lagMs) / readWorthMs - plan.beyond;
    best = Math.max(best, bound);
  }
  return best;
}
