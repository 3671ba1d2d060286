/**
 * Event times in a moving window (publishes per 24 h, creations per 24 h,
 * calls per hour). Appends are O(1) when times arrive in order, counting the
 * whole window is amortized O(1), counting from a given time is O(log n).
 */
export class WindowLog {
  private readonly times: number[] = [];
  private head = 0;

  /** @param windowMs how long an event counts after it happened. */
  constructor(readonly windowMs: number) {}

  /** Records an event at `at` (kept sorted even if a wall clock stepped back). */
  push(at: number): void {
    const last = this.times[this.times.length - 1];
    if (last === undefined || last <= at) {
      this.times.push(at);
      return;
    }
    this.times.splice(this.lowerBound(at), 0, at);
  }

  /** How many events lie in the window that ends at `now` (now - windowMs, now]. */
  count(now: number): number {
    this.prune(now);
    return this.times.length - this.head;
  }

  /** How many events in the window happened at or after `from`. */
  countSince(from: number, now: number): number {
    this.prune(now);
    return this.times.length - Math.max(this.head, this.lowerBound(from));
  }

  /**
   * The moment the window holds fewer than `limit` events again, or `now`
   * when it already does.
   */
  freesAt(limit: number, now: number): number {
    const inWindow = this.count(now);
    if (inWindow < limit) return now;
    const leaving = this.times[this.head + inWindow - limit];
    return leaving === undefined ? now : leaving + this.windowMs;
  }

  private prune(now: number): void {
    const edge = now - this.windowMs;
    while (this.head < this.times.length && (this.times[this.head] ?? Infinity) <= edge) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }

  private lowerBound(at: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.times[mid] ?? Infinity) < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
