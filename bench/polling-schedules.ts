import { standardTiming, type Timing } from '../src/machines/timing.js';
import { plannedReadAt, type PollPlan } from '../src/polling/poll-plan.js';

/** The base unit every schedule of the polling bench keeps to: 5 s, the seed's and igflow's default. */
export const UNIT_MS = 5_000;
const MINUTE = 60_000;

/** A timing that reads `delayMs(n)` after read n − 1 (n is 1-based; read 0 is the create); everything else standard. */
function delays(delayMs: (n: number) => number): Timing {
  const base = standardTiming({ unitMs: UNIT_MS });
  return { ...base, nextPollAt: ({ polls, at }) => at + delayMs(polls + 1) };
}

/** Fixed 5 s between reads (Activepieces). */
export const fixed5 = delays(() => 5_000);
/** Fixed 20 s (Postiz). */
export const fixed20 = delays(() => 20_000);
/** Fixed 60 s (Meta's advice for video: once a minute). */
export const fixed60 = delays(() => MINUTE);
/** 5 s × 1.5ⁿ, capped at 60 s (Post for Me). */
export const growth = delays((n) => Math.min(MINUTE, 5_000 * 1.5 ** (n - 1)));
/** 5 s × N, capped at 12 units, then Meta's minute: the seed's, igflow's standardTiming. */
export const seed = standardTiming({ unitMs: UNIT_MS });

/** Reads on a plan made for the true distribution: what adaptiveTiming's choice would do if it knew the mix exactly (no learning). */
export function oracle(plan: PollPlan | undefined, horizonMs: number): Timing {
  if (plan === undefined) return seed;
  return {
    ...seed,
    nextPollAt: ({ createdAt, at }) => {
      const planned = at - createdAt < horizonMs ? plannedReadAt(plan, at - createdAt) : undefined;
      return Math.max(at + UNIT_MS, planned === undefined ? at + MINUTE : createdAt + planned);
    },
  };
}
