/**
 * The standard normal distribution, for the lognormal model of processing
 * times (`ln T` is normal). Accurate to about 1e-7, which is far finer than
 * anything a poll schedule can resolve.
 */

/** erfc(x), Chebyshev fit of Numerical Recipes (`erfcc`): fractional error below 1.2e-7 everywhere. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/** Φ(z): the probability that a standard normal is at most `z` (0 at −∞, 1 at +∞). */
export function normalCdf(z: number): number {
  if (z === Number.NEGATIVE_INFINITY) return 0;
  if (z === Number.POSITIVE_INFINITY) return 1;
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** φ(z): the standard normal density (0 at ±∞). */
export function normalPdf(z: number): number {
  if (!Number.isFinite(z)) return 0;
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** The z with Φ(z) = `p`, by bisection on {@link normalCdf} (p is clamped into [1e-12, 1 − 1e-12]). */
export function normalQuantile(p: number): number {
  const target = Math.min(1 - 1e-12, Math.max(1e-12, p));
  let lo = -8;
  let hi = 8;
  for (let i = 0; i < 60; i += 1) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
