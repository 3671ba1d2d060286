/** A day in ms: the width of Instagram's moving windows (the publishing quota, the container cap). */
const DAY = 86_400_000;

/** The most of `times` (epoch ms) that fall in any moving 24 h window: what Instagram's quota and container cap count. */
export function worstWindow(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let worst = 0;
  for (let i = 0, start = 0; i < sorted.length; i++) {
    while (sorted[start]! <= sorted[i]! - DAY) start++;
    worst = Math.max(worst, i - start + 1);
  }
  return worst;
}
