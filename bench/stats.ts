/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `values` rotated left by `by` places: round r runs the variants in a different order. */
export function rotated<T>(values: readonly T[], by: number): T[] {
  const shift = ((by % values.length) + values.length) % values.length;
  return [...values.slice(shift), ...values.slice(0, shift)];
}

/** A number with a fixed count of decimals and thousands separators. */
export function fmt(value: number, decimals = 0): string {
  if (Math.abs(value) < 0.5 / 10 ** decimals) value = 0; // no "-0"
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A ratio such as `1.23×`. */
export function times(value: number): string {
  return `${value.toFixed(2)}×`;
}

/** Milliseconds since `start` (a `performance.now()` reading). */
export function since(start: number): number {
  return performance.now() - start;
}
