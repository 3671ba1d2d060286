import type { LogNormal } from './lognormal.js';
import { normalCdf, normalPdf } from './normal.js';

/**
 * What one container told: it was not FINISHED at the read at `lowMs`
 * after creation (0: no read before) and FINISHED at the read at `highMs`.
 * Its processing time lies in (lowMs, highMs]; `highMs` alone is only an
 * upper bound (the read is late by the lag), so it is never taken as the
 * time itself.
 */
export interface FinishInterval {
  readonly lowMs: number;
  readonly highMs: number;
}

/** The smallest spread a fit reports: containers are never exactly alike, and a zero spread would make a plan bet everything on one instant. */
export const MIN_SIGMA = 0.1;
const EM_ROUNDS = 25;

/** E[y] and E[y²] of y ~ N(mu, sigma) restricted to (a, b] (a may be −∞); undefined when (a, b] holds next to no mass. */
function truncatedMoments(mu: number, sigma: number, a: number, b: number): { m1: number; m2: number } | undefined {
  const za = (a - mu) / sigma;
  const zb = (b - mu) / sigma;
  const mass = normalCdf(zb) - normalCdf(za);
  if (!(mass > 1e-10)) return undefined;
  const pa = normalPdf(za);
  const pb = normalPdf(zb);
  const shift = (pa - pb) / mass;
  const zaPa = Number.isFinite(za) ? za * pa : 0;
  const variance = sigma * sigma * Math.max(0, 1 + (zaPa - zb * pb) / mass - shift * shift);
  const m1 = mu + sigma * shift;
  return { m1, m2: variance + m1 * m1 };
}

/**
 * Fits a lognormal to interval-censored processing times by maximum
 * likelihood (EM on ln T: each E-step replaces an interval by the moments
 * of the current normal restricted to it; each M-step takes their mean and
 * spread). It starts from the intervals' arithmetic midpoints, the naive
 * estimate, which a read schedule biases: the seed's first read at 5 s
 * turns every image that took 1 to 5 s into "2.5 s". The EM removes that
 * bias as far as the intervals allow. The spread is never below
 * {@link MIN_SIGMA}. Undefined for no intervals.
 */
export function fitIntervals(intervals: readonly FinishInterval[]): LogNormal | undefined {
  const usable = intervals.filter((i) => i.highMs > 0 && i.highMs > i.lowMs);
  if (usable.length === 0) return undefined;
  const bounds = usable.map((i) => ({ a: i.lowMs > 0 ? Math.log(i.lowMs) : Number.NEGATIVE_INFINITY, b: Math.log(i.highMs), mid: Math.log((Math.max(0, i.lowMs) + i.highMs) / 2) }));
  const n = bounds.length;
  let mu = bounds.reduce((sum, x) => sum + x.mid, 0) / n;
  let sigma = Math.max(MIN_SIGMA, Math.sqrt(bounds.reduce((sum, x) => sum + (x.mid - mu) ** 2, 0) / n));
  for (let round = 0; round < EM_ROUNDS; round += 1) {
    let s1 = 0;
    let s2 = 0;
    for (const x of bounds) {
      const moments = truncatedMoments(mu, sigma, x.a, x.b) ?? { m1: x.mid, m2: x.mid * x.mid };
      s1 += moments.m1;
      s2 += moments.m2;
    }
    const nextMu = s1 / n;
    const nextSigma = Math.max(MIN_SIGMA, Math.sqrt(Math.max(0, s2 / n - nextMu * nextMu)));
    const settled = Math.abs(nextMu - mu) < 1e-6 && Math.abs(nextSigma - sigma) < 1e-6;
    mu = nextMu;
    sigma = nextSigma;
    if (settled) break;
  }
  return { mu, sigma };
}

/** How uncertain a fit is: standard errors of `mu` and of ln(`sigma`). */
export interface FitUncertainty {
  readonly seMu: number;
  readonly seLogSigma: number;
}

/** Log-likelihood of (mu, ln sigma) for the intervals. */
function logLikelihood(bounds: readonly { a: number; b: number }[], mu: number, logSigma: number): number {
  const sigma = Math.exp(logSigma);
  let sum = 0;
  for (const { a, b } of bounds) sum += Math.log(Math.max(1e-300, normalCdf((b - mu) / sigma) - normalCdf((a - mu) / sigma)));
  return sum;
}

/**
 * The standard errors of a fit, from the observed information: the
 * log-likelihood's curvature at the fit (a numerical Hessian in mu and
 * ln sigma, inverted). Wide intervals carry little information, and the
 * errors say so: an efficient schedule that reads most images once learns
 * less about them than one that reads often. Undefined when the curvature
 * says nothing (too few or degenerate intervals).
 */
export function fitUncertainty(intervals: readonly FinishInterval[], fit: LogNormal): FitUncertainty | undefined {
  const bounds = intervals.filter((i) => i.highMs > 0 && i.highMs > i.lowMs).map((i) => ({ a: i.lowMs > 0 ? Math.log(i.lowMs) : Number.NEGATIVE_INFINITY, b: Math.log(i.highMs) }));
  if (bounds.length < 2) return undefined;
  const h = 1e-3;
  const x = fit.mu;
  const y = Math.log(fit.sigma);
  const f = (dx: number, dy: number) => logLikelihood(bounds, x + dx, y + dy);
  const f0 = f(0, 0);
  const hxx = (f(h, 0) - 2 * f0 + f(-h, 0)) / (h * h);
  const hyy = (f(0, h) - 2 * f0 + f(0, -h)) / (h * h);
  const hxy = (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4 * h * h);
  // the information matrix is minus the Hessian; it must be positive definite to say anything
  const ixx = -hxx;
  const iyy = -hyy;
  const ixy = -hxy;
  const det = ixx * iyy - ixy * ixy;
  if (!(ixx > 0 && iyy > 0 && det > 0)) return undefined;
  return { seMu: Math.sqrt(iyy / det), seLogSigma: Math.sqrt(ixx / det) };
}
