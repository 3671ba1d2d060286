import { logNormalCdf, logNormalPartialMean, type LogNormal } from './lognormal.js';

/**
 * The read schedule that is cheapest on average for a known distribution
 * of processing times, as a policy: after a request (the create, or a read
 * that saw the container still processing) at `i × stepMs` after creation,
 * read next at `next[i] × stepMs`. `-1`: past the plan's horizon.
 */
export interface PollPlan {
  readonly stepMs: number;
  readonly next: Int32Array;
  /** What the plan costs from creation, as it sees it: expected reads + expected lag ÷ readWorthMs. */
  readonly cost: number;
  /** The share of containers still processing at the horizon (the plan's own blind spot). */
  readonly beyond: number;
}

/** Options of {@link planPolls}. */
export interface PlanOptions {
  /** Reads are never closer than this to each other, or to the create. */
  readonly unitMs: number;
  /** How much detection lag one read is worth: the plan minimises reads + lag ÷ readWorthMs. */
  readonly readWorthMs: number;
  /** How far after creation the plan reaches. */
  readonly horizonMs: number;
  /** At most this many grid steps (default 800, about a millisecond of work; a finer grid changes the cost of a plan by less than 0.1 %): the plan costs O(steps²) at worst. */
  readonly maxSteps?: number;
  /** Grid steps per unit at the finest (default 20). */
  readonly stepsPerUnit?: number;
}

/** A plan's grid: fine enough to place a read to a twentieth of the unit, coarse enough to stay cheap. */
const DEFAULT_STEPS_PER_UNIT = 20;
const DEFAULT_MAX_STEPS = 800;

/** F and M of a distribution on a grid: read only, so one grid serves every plan made for it. */
interface Grid {
  readonly mu: number;
  readonly sigma: number;
  readonly stepMs: number;
  readonly n: number;
  readonly F: Float64Array;
  readonly M: Float64Array;
}

/** The last grid computed: `choosePlan` plans one distribution on one grid for several trade-offs in a row. */
let lastGrid: Grid | undefined;

/** F(t_i) and M(t_i) of `d` for i = 0…n, t_i = i × stepMs (the last grid again when it is the same). */
function gridOf(d: LogNormal, stepMs: number, n: number): Grid {
  if (lastGrid !== undefined && lastGrid.mu === d.mu && lastGrid.sigma === d.sigma && lastGrid.stepMs === stepMs && lastGrid.n === n) return lastGrid;
  const F = new Float64Array(n + 1);
  const M = new Float64Array(n + 1);
  for (let i = 0; i <= n; i += 1) {
    F[i] = logNormalCdf(d, i * stepMs);
    M[i] = logNormalPartialMean(d, i * stepMs);
  }
  lastGrid = { mu: d.mu, sigma: d.sigma, stepMs, n, F, M };
  return lastGrid;
}

/**
 * Dynamic programming over a time grid. With S, F the survival and
 * distribution functions and M(t) = E[T; T ≤ t], the expected cost from a
 * request at t_i of a container still processing then, weighted by S(t_i), is
 *
 *   W(i) = min over j ≥ i + unit of  S(t_i) + λ·G(i, j) + W(j),
 *   G(i, j) = t_j·(F(t_j) − F(t_i)) − (M(t_j) − M(t_i)),
 *
 * one read, plus λ = 1/readWorthMs times the lag of the containers that
 * finish in (t_i, t_j], plus the rest. At the horizon one last read is
 * counted. Reads are placed on the grid only, `unitMs` apart at least.
 */
export function planPolls(d: LogNormal, options: PlanOptions): PollPlan {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const stepMs = Math.max(options.unitMs / (options.stepsPerUnit ?? DEFAULT_STEPS_PER_UNIT), options.horizonMs / maxSteps);
  const n = Math.max(1, Math.ceil(options.horizonMs / stepMs));
  const gap = Math.max(1, Math.ceil(options.unitMs / stepMs - 1e-9));
  const lambda = 1 / options.readWorthMs;
  const { F, M } = gridOf(d, stepMs, n);
  const W = new Float64Array(n + 1);
  const next = new Int32Array(n + 1).fill(-1);
  for (let i = n; i >= 0; i -= 1) {
    const survive = 1 - F[i]!;
    let best = survive;
    let bestJ = -1;
    if (i + gap <= n) {
      best = Number.POSITIVE_INFINITY;
      for (let j = i + gap; j <= n; j += 1) {
        const lag = j * stepMs * (F[j]! - F[i]!) - (M[j]! - M[i]!);
        const partial = survive + lambda * lag;
        if (partial >= best) break; // the lag only grows with j, and W(j) ≥ 0
        const cost = partial + W[j]!;
        if (cost < best) {
          best = cost;
          bestJ = j;
        }
      }
    }
    W[i] = best;
    next[i] = bestJ;
  }
  return { stepMs, next, cost: W[0]!, beyond: 1 - F[n]! };
}

/** When the plan reads next, in ms after creation, after a request `elapsedMs` after it; undefined past the horizon. */
export function plannedReadAt(plan: PollPlan, elapsedMs: number): number | undefined {
  const i = Math.max(0, Math.ceil(elapsedMs / plan.stepMs - 1e-9));
  if (i >= plan.next.length) return undefined;
  const j = plan.next[i]!;
  return j < 0 ? undefined : j * plan.stepMs;
}
