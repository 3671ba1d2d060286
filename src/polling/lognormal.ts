import { normalCdf, normalQuantile } from './normal.js';

/**
 * A lognormal distribution of processing times: `ln(T / 1 ms)` is normal
 * with mean `mu` and standard deviation `sigma`. Its median is `e^mu` ms.
 */
export interface LogNormal {
  readonly mu: number;
  readonly sigma: number;
}

/** P(T ≤ `ms`). */
export function logNormalCdf(d: LogNormal, ms: number): number {
  if (ms <= 0) return 0;
  return normalCdf((Math.log(ms) - d.mu) / d.sigma);
}

/** E[T; T ≤ `ms`]: the partial expectation, in ms (what the lag of a read at `ms` subtracts). */
export function logNormalPartialMean(d: LogNormal, ms: number): number {
  if (ms <= 0) return 0;
  return Math.exp(d.mu + (d.sigma * d.sigma) / 2) * normalCdf((Math.log(ms) - d.mu - d.sigma * d.sigma) / d.sigma);
}

/** The time by which a share `p` of containers has finished. */
export function logNormalQuantile(d: LogNormal, p: number): number {
  return Math.exp(d.mu + d.sigma * normalQuantile(p));
}
