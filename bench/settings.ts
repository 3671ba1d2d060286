/**
 * Knobs shared by every benchmark, read from the environment so a quick
 * check does not need code changes:
 * - `BENCH_ROUNDS`: how many side-by-side rounds each benchmark runs (default 3);
 * - `BENCH_SCALE`: multiplies every post count (default 1; 0.1 for a smoke run);
 * - `BENCH_BASELINE`: the directory of another checkout of igflow (with its
 *   `src/`); throughput and resume then also run its file store, side by
 *   side with this one's (a before/after in one run).
 */

const positive = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${JSON.stringify(raw)}`);
  return value;
};

/** Rounds per benchmark; the reported figure is the median over them. */
export const rounds: number = Math.max(1, Math.round(positive('BENCH_ROUNDS', 3)));

/** `n` posts, scaled by `BENCH_SCALE` (never fewer than 10). */
export function scaled(n: number): number {
  return Math.max(10, Math.round(n * positive('BENCH_SCALE', 1)));
}

/** The other checkout named by `BENCH_BASELINE`, if any. */
export const baselineDir: string | undefined = process.env.BENCH_BASELINE || undefined;
