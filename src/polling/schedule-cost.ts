import { logNormalCdf, logNormalPartialMean, type LogNormal } from './lognormal.js';

/** What a read schedule costs on average for a known distribution of processing times. */
export interface ScheduleCost {
  /** Reads per container (a container still processing after the last read counts them all). */
  readonly reads: number;
  /** Mean detection lag, ms: from finishing to the read that sees it (over the containers the schedule sees finish). */
  readonly lagMs: number;
  /** The share still processing after the last read. */
  readonly unseen: number;
}

/**
 * The exact expected reads and lag of reading at `offsetsMs` (ms after
 * creation, increasing) when processing times follow `d`: a container
 * finishing in (t_(k-1), t_k] costs k reads and t_k − T of lag.
 */
export function scheduleCost(d: LogNormal, offsetsMs: readonly number[]): ScheduleCost {
  let reads = 0;
  let lag = 0;
  let lastF = 0;
  let lastM = 0;
  for (const [index, t] of offsetsMs.entries()) {
    const F = logNormalCdf(d, t);
    const M = logNormalPartialMean(d, t);
    reads += (index + 1) * (F - lastF);
    lag += t * (F - lastF) - (M - lastM);
    lastF = F;
    lastM = M;
  }
  const unseen = 1 - lastF;
  reads += offsetsMs.length * unseen;
  return { reads, lagMs: lastF > 0 ? lag / lastF : 0, unseen };
}
