import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import { timerScheduler } from './timer-scheduler.js';

interface PendingTimer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/** Options of {@link VirtualClock.run}. */
export interface RunOptions {
  /** Stop with an error when virtual time passes this many ms (default 30 days). */
  readonly maxVirtualMs?: number;
  /** Stop with an error after this many real ms without progress (default 10 s). */
  readonly stallMs?: number;
}

const realTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const realPause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A clock whose time moves only when told to. Timers fire in time order as
 * time is advanced; {@link VirtualClock.run} advances automatically whenever
 * the process is idle, so a test can await a whole flow (real loopback HTTP
 * included) while hours of backoff pass in milliseconds.
 */
export class VirtualClock implements SchedulerLike {
  private time: number;
  private seq = 0;
  private readonly timers: PendingTimer[] = [];
  private busyCount = 0;
  private readonly scheduler: SchedulerLike;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
    this.scheduler = timerScheduler(
      () => this.time,
      (fire, delayMs) => this.setTimer(fire, delayMs),
    );
  }

  /** The current virtual time, epoch ms. */
  now(): number {
    return this.time;
  }

  /** RxJS scheduling on virtual time. */
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
    return this.scheduler.schedule(work, delay, state);
  }

  /** How many timers wait to fire. */
  get pending(): number {
    return this.timers.length;
  }

  /** When the next timer fires, or undefined when none waits. */
  get nextAt(): number | undefined {
    return this.timers[0]?.at;
  }

  /**
   * Marks the world busy (real I/O in flight) until the returned function is
   * called: {@link run} does not move time while anything is busy.
   */
  hold(): () => void {
    this.busyCount += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.busyCount -= 1;
    };
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  advanceBy(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  /** Moves time to `at`, firing every timer due on the way, in order. */
  advanceTo(at: number): void {
    for (let next = this.timers[0]; next !== undefined && next.at <= at; next = this.timers[0]) {
      this.fireNext();
    }
    this.time = Math.max(this.time, at);
  }

  /**
   * Drives time until `work` settles: whenever nothing is busy and the event
   * loop is idle, jumps to the next timer and fires it. Returns what `work`
   * resolves to.
   */
  async run<T>(work: Promise<T>, options: RunOptions = {}): Promise<T> {
    const limit = this.time + (options.maxVirtualMs ?? 30 * 86_400_000);
    const stallMs = options.stallMs ?? 10_000;
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined); // observed below; keeps Node from calling it unhandled meanwhile
    let lastProgress = Date.now();
    while (!settled) {
      await realTick();
      await realTick();
      if (settled) break;
      if (this.busyCount > 0 || this.timers.length === 0) {
        if (Date.now() - lastProgress > stallMs) {
          throw new Error(`VirtualClock.run: no progress for ${stallMs} ms of real time (busy ${this.busyCount}, timers ${this.timers.length})`);
        }
        await realPause(1);
        continue;
      }
      if ((this.nextAt ?? 0) > limit) throw new Error('VirtualClock.run: virtual time limit passed before the work settled');
      this.fireNext();
      lastProgress = Date.now();
    }
    return watched;
  }

  private fireNext(): void {
    const next = this.timers.shift();
    if (next === undefined) return;
    this.time = Math.max(this.time, next.at);
    next.fire();
  }

  private setTimer(fire: () => void, delayMs: number): () => void {
    const timer: PendingTimer = { at: this.time + delayMs, seq: this.seq++, fire };
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.timers[mid]!;
      if (other.at < timer.at || (other.at === timer.at && other.seq < timer.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
    return () => {
      const index = this.timers.indexOf(timer);
      if (index >= 0) this.timers.splice(index, 1);
    };
  }
}
