/**
 * Timestamps are epoch ms from the engine's clock, stored as `bigint`.
 * A clock may hand out fractions of a millisecond (a scaled clock); they
 * are rounded up when stored, the safe direction for every timestamp the
 * store keeps: a wake is never early, a lease never ends early, a publish
 * stays in its quota window a little longer.
 */
export function storedMs(ms: number): number;
/** See {@link storedMs}; undefined (an absent timestamp) stays absent, as SQL NULL. */
export function storedMs(ms: number | undefined): number | null;
export function storedMs(ms: number | undefined): number | null {
  return ms === undefined ? null : Math.ceil(ms);
}

/**
 * `now` for comparing with stored (whole) timestamps: for a whole `t`,
 * `t <= now` exactly when `t <= floor(now)`, so queries can use the
 * `bigint` indexes.
 */
export function comparableNow(now: number): number {
  return Math.floor(now);
}

/** A `bigint` column as read by node-postgres (a string, or a number/bigint with custom type parsers); undefined for NULL. */
export function readMs(value: string | number | bigint | null): number | undefined {
  return value === null ? undefined : Number(value);
}
