import type { Subscription } from 'rxjs';
import type { Clock } from '../time/clock.js';

/**
 * Posts parked in the store until a deadline: a min-heap of (wakeAt, postId)
 * with a single timer on the clock for the earliest. A waiting post costs
 * one heap entry, not a live actor.
 */
export class WakeQueue {
  private heap: Array<{ at: number; postId: string }> = [];
  private readonly when = new Map<string, number>();
  private timer: Subscription | undefined;
  private timerAt = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly wake: (postId: string) => void,
  ) {}

  /** Whether a post waits here. */
  has(postId: string): boolean {
    return this.when.has(postId);
  }

  /** Parks (or re-parks) a post until `at`. */
  add(postId: string, at: number): void {
    this.when.set(postId, at);
    this.push({ at, postId });
    this.arm();
  }

  /** Forgets a post (it woke some other way). */
  delete(postId: string): void {
    this.when.delete(postId);
  }

  /** Stops the timer and forgets every post. */
  clear(): void {
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.timerAt = Infinity;
    this.heap = [];
    this.when.clear();
  }

  private arm(): void {
    this.dropStale();
    const next = this.heap[0];
    if (next === undefined || next.at >= this.timerAt) return;
    this.timer?.unsubscribe();
    this.timerAt = next.at;
    this.timer = this.clock.schedule(() => this.fire(), Math.max(0, next.at - this.clock.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    for (this.dropStale(); this.heap[0] !== undefined && this.heap[0].at <= now; this.dropStale()) {
      const { postId } = this.pop()!;
      this.when.delete(postId);
      this.wake(postId);
    }
    this.arm();
  }

  /** Drops heap entries superseded by a later add or a delete. */
  private dropStale(): void {
    while (this.heap[0] !== undefined && this.when.get(this.heap[0].postId) !== this.heap[0].at) this.pop();
  }

  private push(entry: { at: number; postId: string }): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= heap[i]!.at) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  private pop(): { at: number; postId: string } | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l]!.at < heap[m]!.at) m = l;
        if (r < heap.length && heap[r]!.at < heap[m]!.at) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  }
}
